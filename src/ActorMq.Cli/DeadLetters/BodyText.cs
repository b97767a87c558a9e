using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorMq.Diagnostics;

namespace ActorMq.Cli.DeadLetters;

/// <summary>
/// A message body for a person: indented JSON when it parses, otherwise a hex dump. Without <c>--full</c> a body is cut
/// by lines and by size (a one-line 50 MB body is not printed whole), with a last line saying how much was cut. Text is
/// shown through <see cref="UntrustedText.MultiLine"/>: controls, bidi and zero-width characters as escapes.
/// </summary>
internal static class BodyText
{
    /// <summary>Most lines of indented JSON shown without <c>--full</c>.</summary>
    public const int MaxJsonLines = 100;

    /// <summary>Most characters of indented JSON shown without <c>--full</c>.</summary>
    public const int MaxJsonChars = 16 * 1024;

    /// <summary>Largest body indented as JSON without <c>--full</c>; a larger one is hex-dumped (and cut) without being parsed.</summary>
    public const int MaxParsedBytes = 1024 * 1024;

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
        if ((full || body.Length <= MaxParsedBytes) && TryParseJson(body, out var json))
        {
            var indented = UntrustedText.MultiLine(JsonSerializer.Serialize(json, new JsonSerializerOptions
            {
                WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }));
            var lines = indented.Split('\n');
            if (full || (lines.Length <= MaxJsonLines && indented.Length <= MaxJsonChars)) return indented + "\n";
            var shown = new StringBuilder();
            var count = 0;
            foreach (var line in lines.Take(MaxJsonLines))
            {
                if (shown.Length + line.Length + 1 > MaxJsonChars)
                {
                    // A line longer than what is left: its start, cut with the marker.
                    var room = MaxJsonChars - shown.Length;
                    if (room > 16) { shown.Append(UntrustedText.OneLine(line, room)).Append('\n'); count++; }
                    break;
                }
                shown.Append(line).Append('\n');
                count++;
            }
            return shown + $"… body cut: showing {count} of {lines.Length} lines ({shown.Length} of {indented.Length} characters); use --full to see all\n";
        }
        var dumped = full ? body.Length : Math.Min(body.Length, MaxHexBytes);
        var dump = HexDump(body.Span[..dumped]);
        return dumped == body.Length ? dump : dump + $"… body cut: showing {dumped} of {body.Length} bytes; use --full to see all\n";
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
