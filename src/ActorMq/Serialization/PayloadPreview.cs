using System.Text;

namespace ActorMq.Serialization;

/// <summary>The first bytes of a body as safe text for an error message or a log line.</summary>
internal static class PayloadPreview
{
    /// <summary>How many bytes of a body a <see cref="DeserializationException"/> shows.</summary>
    public const int DefaultLength = 64;

    /// <summary>
    /// Up to <paramref name="maxBytes"/> bytes: printable ASCII kept, backslash doubled, everything else <c>\xNN</c>;
    /// followed by <c>… (N more bytes)</c> when the body is longer; <c>(empty)</c> for no bytes.
    /// </summary>
    public static string Of(ReadOnlySpan<byte> body, int maxBytes = DefaultLength)
    {
        if (body.IsEmpty) return "(empty)";
        var shown = body[..Math.Min(body.Length, maxBytes)];
        var text = new StringBuilder(shown.Length + 24);
        foreach (var b in shown)
        {
            if (b == (byte)'\\') text.Append(@"\\");
            else if (b is >= 0x20 and < 0x7f) text.Append((char)b);
            else text.Append(@"\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }
        if (body.Length > shown.Length) text.Append("… (").Append(body.Length - shown.Length).Append(" more bytes)");
        return text.ToString();
    }
}
