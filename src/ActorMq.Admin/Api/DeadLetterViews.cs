using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorMq.DeadStore;
using RabbitMQ.Client;

namespace ActorMq.Admin.Api;

/// <summary>Turns stored dead letters into what the page shows.</summary>
internal static class DeadLetterViews
{
    /// <summary>The longest error message a list row carries (the detail view has all of it).</summary>
    private const int RowErrorLength = 300;

    /// <summary>The most body bytes the detail view sends as text or JSON; the whole body is a download (<c>{id}/body</c>).</summary>
    public const int BodyLimit = 1024 * 1024;

    /// <summary>The most body bytes the hex dump shows.</summary>
    private const int HexLimit = 64 * 1024;

    public static DeadLetterRowModel Row(DeadLetterRecord record, bool fullError = false)
    {
        var letter = record.Letter;
        var error = fullError || letter.ErrorMessage.Length <= RowErrorLength ? letter.ErrorMessage : letter.ErrorMessage[..RowErrorLength] + "…";
        return new DeadLetterRowModel(record.Id, letter.MessageId, letter.Queue, letter.ErrorType, error, letter.Attempts, letter.DeadAt, record.State,
            record.ReplayCount, record.ReplayedAt, record.ReplayError, record.GroupKey, record.ReplayedFrom, record.FailedAgainId, record.ResolvedAt);
    }

    public static DeadLetterDetailModel Detail(DeadLetterRecord record)
    {
        var letter = record.Letter;
        return new DeadLetterDetailModel(Row(record, fullError: true), letter.Exchange, letter.RoutingKey, letter.ErrorDetail, letter.FirstFailedAt,
            record.ClaimedAt, record.ClaimedBy, Properties(letter.Properties),
            letter.Headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new HeaderModel(h.Key, TypeOf(h.Value), Text(h.Value))).ToList(),
            Body(letter.Body.Span, letter.Properties.ContentType), EditableHeaders(letter.Headers));
    }

    /// <summary>The headers in the store's tagged JSON, indented, for the edit form (numbers keep their exact digits).</summary>
    private static string EditableHeaders(IReadOnlyDictionary<string, object?> headers)
    {
        var json = DeadLetterJson.SerializeHeaders(headers.OrderBy(h => h.Key, StringComparer.Ordinal));
        return PrettyJson(Encoding.UTF8.GetBytes(json), "application/json") ?? json;
    }

    private static List<NamedValue> Properties(DeadLetterProperties p)
    {
        var list = new List<NamedValue>();
        void Add(string name, object? value)
        {
            if (value is not null) list.Add(new NamedValue(name, Convert.ToString(value, CultureInfo.InvariantCulture)!));
        }
        Add("content_type", p.ContentType);
        Add("content_encoding", p.ContentEncoding);
        Add("delivery_mode", p.DeliveryMode is { } mode ? $"{mode} ({(mode == 2 ? "persistent" : "transient")})" : null);
        Add("priority", p.Priority);
        Add("correlation_id", p.CorrelationId);
        Add("reply_to", p.ReplyTo);
        Add("expiration", p.Expiration);
        Add("message_id", p.MessageId);
        Add("timestamp", p.Timestamp is { } t ? $"{t} ({DateTimeOffset.FromUnixTimeSeconds(t):yyyy-MM-dd HH:mm:ss}Z)" : null);
        Add("type", p.Type);
        Add("user_id", p.UserId);
        Add("app_id", p.AppId);
        Add("cluster_id", p.ClusterId);
        return list;
    }

    private static string TypeOf(object? value) => value switch
    {
        null => "void",
        string => "string",
        byte[] => "bytes",
        bool => "bool",
        sbyte or byte => "byte",
        short or ushort => "short",
        int or uint => "int",
        long or ulong => "long",
        float => "float",
        double => "double",
        decimal => "decimal",
        AmqpTimestamp => "timestamp",
        BinaryTableValue => "binary",
        IDictionary => "table",
        IEnumerable => "array",
        _ => value.GetType().Name,
    };

    private static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        byte[] b => Utf8(b) ?? Convert.ToHexString(b),
        bool b => b ? "true" : "false",
        AmqpTimestamp ts => $"{ts.UnixTime} ({DateTimeOffset.FromUnixTimeSeconds(ts.UnixTime):yyyy-MM-dd HH:mm:ss}Z)",
        BinaryTableValue binary => Convert.ToHexString(binary.Bytes),
        IDictionary table => "{ " + string.Join(", ", table.Keys.Cast<object>().Select(k => $"{k}: {Text(table[k])}")) + " }",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Text)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// The body as the detail view shows it: pretty JSON (only when the whole body fits <see cref="BodyLimit"/>), text of
    /// at most <see cref="BodyLimit"/> bytes (cut at a character boundary; <see cref="BodyModel.Truncated"/> then), a hex
    /// dump of at most <see cref="HexLimit"/> bytes. A 50 MB body costs about 1 MiB of JSON, not 100 MB.
    /// </summary>
    public static BodyModel Body(ReadOnlySpan<byte> body, string? contentType)
    {
        var truncated = body.Length > BodyLimit;
        var shown = truncated ? body[..Utf8Boundary(body, BodyLimit)] : body;
        var text = Utf8(shown);
        var json = text is null || truncated ? null : PrettyJson(shown, contentType);
        // Pretty JSON holds the same text: the raw text is sent only when it is short, so a body crosses the wire once.
        return new BodyModel(body.Length, json, json is not null && shown.Length > HexLimit ? null : text, Hex(body[..Math.Min(body.Length, HexLimit)]),
            body.Length > HexLimit, truncated);
    }

    /// <summary>The largest length at most <paramref name="max"/> that does not split a UTF-8 sequence.</summary>
    private static int Utf8Boundary(ReadOnlySpan<byte> bytes, int max)
    {
        var end = max;
        while (end > 0 && end > max - 4 && (bytes[end] & 0xC0) == 0x80) end--;
        return end;
    }

    private static string? PrettyJson(ReadOnlySpan<byte> body, string? contentType)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        var looksJson = contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true ||
            (trimmed.Length > 0 && trimmed[0] is (byte)'{' or (byte)'[');
        if (!looksJson) return null;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, AdminJson.PrettyWriter)) document.WriteTo(writer);
            return Encoding.UTF8.GetString(stream.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string? Utf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var text = StrictUtf8.GetString(bytes);
            return text.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t')) ? null : text;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>A classic dump: offset, 16 bytes in hex, the printable ASCII beside them.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes)
    {
        var dump = new StringBuilder(bytes.Length * 4 + 16);
        for (var offset = 0; offset < bytes.Length; offset += 16)
        {
            var line = bytes.Slice(offset, Math.Min(16, bytes.Length - offset));
            dump.Append(offset.ToString("x8", CultureInfo.InvariantCulture)).Append("  ");
            for (var i = 0; i < 16; i++)
            {
                dump.Append(i < line.Length ? line[i].ToString("x2", CultureInfo.InvariantCulture) : "  ").Append(i == 7 ? "  " : " ");
            }
            dump.Append(' ');
            foreach (var b in line) dump.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
            dump.Append('\n');
        }
        return dump.ToString();
    }
}
