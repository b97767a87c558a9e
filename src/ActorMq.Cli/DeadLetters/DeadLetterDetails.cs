using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorMq.DeadStore;
using ActorMq.Diagnostics;
using RabbitMQ.Client;

namespace ActorMq.Cli.DeadLetters;

/// <summary>
/// One dead letter as text: its fields, error detail, properties, headers (with their AMQP types) and body. Every text
/// that came from the message goes through <see cref="UntrustedText"/>: controls, bidi and zero-width characters are
/// shown as escapes and long values are cut, so nothing in a dead letter can act on the operator's terminal.
/// </summary>
internal static class DeadLetterDetails
{
    /// <summary>Longest field value shown (queue, routing key, message id, error message, header name or value).</summary>
    public const int MaxFieldLength = 1000;

    /// <summary>Longest error detail (stack trace) shown.</summary>
    public const int MaxDetailLength = 20_000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text <c>dead-letters show</c> prints.</summary>
    public static string Render(DeadLetterRecord row, bool fullBody)
    {
        ArgumentNullException.ThrowIfNull(row);
        var letter = row.Letter;
        var text = new StringBuilder();
        text.Append("Dead letter #").Append(row.Id.ToString(CultureInfo.InvariantCulture)).Append('\n');
        AppendFields(text,
        [
            ("state", DeadLetterSelection.Shown(row)),
            ("message id", letter.MessageId ?? "-"),
            ("queue", letter.Queue),
            ("exchange", letter.Exchange.Length == 0 ? "(default)" : letter.Exchange),
            ("routing key", letter.RoutingKey),
            ("error type", letter.ErrorType),
            ("error message", letter.ErrorMessage),
            ("attempts", letter.Attempts.ToString(CultureInfo.InvariantCulture)),
            ("first failed at", DeadLetterText.Time(letter.FirstFailedAt)),
            ("dead at", DeadLetterText.Time(letter.DeadAt)),
            ("replayed at", DeadLetterText.Time(row.ReplayedAt)),
            ("replay count", row.ReplayCount.ToString(CultureInfo.InvariantCulture)),
            ("resolved at", DeadLetterText.Time(row.ResolvedAt)),
            ("replayed from", row.ReplayedFrom is { } from ? "#" + from.ToString(CultureInfo.InvariantCulture) : "-"),
            ("claimed", row.ClaimedBy is null ? "-" : $"by {row.ClaimedBy} at {DeadLetterText.Time(row.ClaimedAt)}"),
            ("replay error", row.ReplayError ?? "-"),
        ]);

        if (!string.IsNullOrEmpty(letter.ErrorDetail))
        {
            text.Append("\nError detail\n");
            // CR LF and LF end lines; a lone CR (which would move the cursor back over the line) shows as \r.
            var detail = UntrustedText.MultiLine(letter.ErrorDetail, MaxDetailLength);
            foreach (var line in detail.Split('\n')) text.Append("  ").Append(line.TrimEnd('\r')).Append('\n');
        }

        text.Append("\nProperties\n");
        using (var properties = JsonDocument.Parse(DeadLetterJson.SerializeProperties(letter.Properties)))
        {
            var fields = properties.RootElement.EnumerateObject().Select(p => (p.Name, PropertyValue(p))).ToList();
            if (fields.Count == 0) text.Append("  (none)\n");
            else AppendFields(text, fields);
        }

        text.Append("\nHeaders\n");
        if (letter.Headers.Count == 0) text.Append("  (none)\n");
        else AppendFields(text, [.. letter.Headers.Select(h => (h.Key, HeaderValue(h.Value)))]);

        text.Append("\nBody (").Append(letter.Body.Length.ToString(CultureInfo.InvariantCulture)).Append(" bytes")
            .Append(letter.Properties.ContentType is { } type ? $", {UntrustedText.OneLine(type, 100)}" : "").Append(")\n");
        text.Append(BodyText.Render(letter.Body, fullBody));
        return text.ToString();
    }

    /// <summary>A header value with its AMQP type: <c>3 (int32)</c>, <c>System.TimeoutException (bytes)</c>.</summary>
    public static string HeaderValue(object? value) => value switch
    {
        null => "null",
        string s => $"{s} (string)",
        byte[] bytes => TryUtf8(bytes, out var text) ? $"{text} (bytes)" : $"{Convert.ToBase64String(bytes)} (bytes, base64)",
        bool b => b ? "true (bool)" : "false (bool)",
        AmqpTimestamp t => $"{t.UnixTime} ({DeadLetterText.Time(DateTimeOffset.FromUnixTimeSeconds(t.UnixTime))} UTC, timestamp)",
        BinaryTableValue binary => $"{Convert.ToBase64String(binary.Bytes)} (binary, base64)",
        IDictionary<string, object?> or IDictionary or IList => $"{DeadLetterJson.SerializeHeaders([new KeyValuePair<string, object?>("v", value)])[5..^1]} (tagged JSON)",
        IFormattable number => $"{number.ToString(null, CultureInfo.InvariantCulture)} ({TypeTag(number)})",
        _ => value.ToString() ?? "",
    };

    private static string TypeTag(object number) => number switch
    {
        sbyte => "int8", byte => "uint8", short => "int16", ushort => "uint16", int => "int32", uint => "uint32",
        long => "int64", ulong => "uint64", float => "float32", double => "float64", decimal => "decimal",
        _ => number.GetType().Name,
    };

    private static string PropertyValue(JsonProperty property) =>
        property.Name == "timestamp" && property.Value.TryGetInt64(out var seconds)
            ? $"{seconds} ({DeadLetterText.Time(DateTimeOffset.FromUnixTimeSeconds(seconds))} UTC)"
            : property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();

    private static bool TryUtf8(byte[] bytes, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            return Array.IndexOf(bytes, (byte)0) < 0;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    private static void AppendFields(StringBuilder text, IReadOnlyList<(string Name, string Value)> fields)
    {
        fields = [.. fields.Select(f => (UntrustedText.OneLine(f.Name, 100), UntrustedText.OneLine(f.Value, MaxFieldLength)))];
        var width = fields.Max(f => f.Name.Length);
        foreach (var (name, value) in fields)
            text.Append("  ").Append(name.PadRight(width)).Append("  ").Append(value).Append('\n');
    }
}
