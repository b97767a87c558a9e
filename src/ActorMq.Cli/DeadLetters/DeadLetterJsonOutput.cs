using System.Text.Json;
using ActorMq.Cli.Terminal;
using ActorMq.DeadStore;

namespace ActorMq.Cli.DeadLetters;

/// <summary>Dead letters as machine output: the column names of the <c>dead_letters</c> table.</summary>
internal static class DeadLetterJsonOutput
{
    /// <summary>The fields of a listing row (no properties, headers or body).</summary>
    public static void WriteSummary(Utf8JsonWriter writer, DeadLetterRecord row)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(row);
        var letter = row.Letter;
        writer.WriteNumber("id", row.Id);
        writer.StringOrNull("message_id", letter.MessageId);
        writer.WriteString("queue", letter.Queue);
        writer.WriteString("exchange", letter.Exchange);
        writer.WriteString("routing_key", letter.RoutingKey);
        writer.WriteString("error_type", letter.ErrorType);
        writer.WriteString("error_message", letter.ErrorMessage);
        writer.WriteNumber("attempts", letter.Attempts);
        writer.TimeOrNull("first_failed_at", letter.FirstFailedAt);
        writer.TimeOrNull("dead_at", letter.DeadAt);
        writer.WriteString("state", DeadLetterSelection.Name(row.State));
        writer.TimeOrNull("replayed_at", row.ReplayedAt);
        writer.WriteNumber("replay_count", row.ReplayCount);
        NumberOrNull(writer, "replayed_from", row.ReplayedFrom);
        NumberOrNull(writer, "failed_again_id", row.FailedAgainId);
        writer.TimeOrNull("resolved_at", row.ResolvedAt);
    }

    private static void NumberOrNull(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number) writer.WriteNumber(name, number);
        else writer.WriteNull(name);
    }

    /// <summary>Every field: the summary, the error detail, the replay claim, properties and headers (in the store's tagged form) and the body.</summary>
    public static void WriteFull(Utf8JsonWriter writer, DeadLetterRecord row)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(row);
        WriteSummary(writer, row);
        var letter = row.Letter;
        writer.StringOrNull("error_detail", letter.ErrorDetail);
        writer.TimeOrNull("claimed_at", row.ClaimedAt);
        writer.StringOrNull("claimed_by", row.ClaimedBy);
        writer.StringOrNull("replay_error", row.ReplayError);
        writer.WritePropertyName("properties");
        writer.WriteRawValue(DeadLetterJson.SerializeProperties(letter.Properties));
        writer.WritePropertyName("headers");
        writer.WriteRawValue(DeadLetterJson.SerializeHeaders(letter.Headers));
        writer.WriteNumber("body_length", letter.Body.Length);
        writer.WriteBase64String("body_base64", letter.Body.Span);
        if (BodyText.TryParseJson(letter.Body, out var json))
        {
            writer.WritePropertyName("body_json");
            json.WriteTo(writer);
        }
        else writer.WriteNull("body_json");
    }

    /// <summary>The counts per queue and error type as an array of objects.</summary>
    public static void WriteCounts(Utf8JsonWriter writer, IReadOnlyList<DeadLetterCount> counts)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(counts);
        writer.WriteStartArray("counts");
        foreach (var count in counts)
        {
            writer.WriteStartObject();
            writer.WriteString("queue", count.Queue);
            writer.WriteString("error_type", count.ErrorType);
            writer.WriteNumber("count", count.Count);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>The failure groups as <c>"groups": [{key, queue, error_type, pattern, top_frames, count, first_seen, last_seen, sample_id}]</c>.</summary>
    public static void WriteGroups(Utf8JsonWriter writer, IReadOnlyList<DeadLetterGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(groups);
        writer.WriteStartArray("groups");
        foreach (var group in groups)
        {
            writer.WriteStartObject();
            writer.WriteString("key", group.Key);
            writer.WriteString("queue", group.Queue);
            writer.WriteString("error_type", group.ErrorType);
            writer.WriteString("pattern", group.Pattern);
            writer.WriteStartArray("top_frames");
            foreach (var frame in group.TopFrames) writer.WriteStringValue(frame);
            writer.WriteEndArray();
            writer.WriteNumber("count", group.Count);
            writer.TimeOrNull("first_seen", group.FirstSeen);
            writer.TimeOrNull("last_seen", group.LastSeen);
            writer.WriteNumber("sample_id", group.SampleId);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
