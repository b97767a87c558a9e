using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ActorMq.Cli.DeadLetters;

/// <summary>A message body for a person: indented JSON when it parses, otherwise a hex dump; long bodies cut with a note.</summary>
internal static class BodyText
{
    /// <summary>Most lines of indented JSON shown without <c>--full</c>.</summary>
    public const int MaxJsonLines = 100;

    /// <summary>Most bytes hex-dumped without <c>--full</c>.</summary>
    public const int MaxHexBytes = 512;

    private const int BytesPerLine = 16;

    /// <summary>True (with the parsed element) when the body is one JSON value.</summary>
    public static bool TryParseJson(ReadOnlyMemory<byte> body, out JsonElement json)
    {
        json = default;
        if (body.IsEmpty) return false;
        try
        {
            using var document = JsonDocument.Parse(body);
            json = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The body as text lines; when cut, the last line says how much is hidden and to use <c>--full</c>.</summary>
    public static string Render(ReadOnlyMemory<byte> body, bool full)
    {
        if (body.IsEmpty) return "(empty)\n";
        if (TryParseJson(body, out var json))
        {
            var lines = JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
                .Split('\n');
            if (full || lines.Length <= MaxJsonLines) return string.Join('\n', lines) + "\n";
            return string.Join('\n', lines.Take(MaxJsonLines)) +
                   $"\n… body cut: showing {MaxJsonLines} of {lines.Length} lines; use --full to see all\n";
        }
        var shown = full ? body.Length : Math.Min(body.Length, MaxHexBytes);
        var dump = HexDump(body.Span[..shown]);
        return shown == body.Length ? dump : dump + $"… body cut: showing {shown} of {body.Length} bytes; use --full to see all\n";
    }

    /// <summary>Offset, 16 bytes in hex, and the printable ASCII of each line (others as '.').</summary>
    public static string HexDump(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        for (var offset = 0; offset < bytes.Length; offset += BytesPerLine)
        {
            var line = bytes.Slice(offset, Math.Min(BytesPerLine, bytes.Length - offset));
            text.Append(offset.ToString("x8", CultureInfo.InvariantCulture)).Append("  ");
            for (var i = 0; i < BytesPerLine; i++)
            {
                text.Append(i < line.Length ? line[i].ToString("x2", CultureInfo.InvariantCulture) : "  ").Append(i == 7 ? "  " : " ");
            }
            text.Append(" |");
            foreach (var b in line) text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
            text.Append("|\n");
        }
        return text.ToString();
    }
}
