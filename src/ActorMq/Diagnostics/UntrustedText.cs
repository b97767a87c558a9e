using System.Globalization;
using System.Text;

namespace ActorMq.Diagnostics;

/// <summary>
/// Text that came from a message (queue names, routing keys, header names and values, error text, bodies) made safe to
/// show on a terminal, in a log line or on a page: every character that could act instead of being seen becomes a
/// visible escape, and a long value can be cut with a visible marker.
/// </summary>
/// <remarks>
/// <para>Escaped (<see cref="NeedsEscape(int)"/>):</para>
/// <list type="bullet">
/// <item>C0 controls, DEL and C1 controls (ESC starts terminal sequences: clear screen, OSC 52 clipboard writes, titles,
/// links; CR and LF forge log lines): <c>\x1b</c>, <c>\x7f</c>, <c>\x9b</c>; CR, LF and TAB as <c>\r</c>, <c>\n</c>,
/// <c>\t</c>.</item>
/// <item>Unicode format characters (category Cf), which include the bidi controls U+200E/F, U+061C, U+202A–202E,
/// U+2066–2069 and the zero-width U+200B–200D, U+2060, U+FEFF, the soft hyphen and the invisible tag characters
/// U+E0000–E007F: <c>\u202E</c>, <c>\u{E0041}</c>. <c>orders\u202Egnp.exe</c> no longer shows as <c>ordersexe.png</c>.</item>
/// <item>The line and paragraph separators U+2028/U+2029, which some log viewers break lines on.</item>
/// <item>Lone surrogates (not text at all): <c>\uD800</c>.</item>
/// </list>
/// <para>
/// Everything else, backslashes included, is kept as it is: the escapes are for seeing what is there, not for decoding
/// (a value that already contains the characters <c>\x1b</c> shows them, which is harmless).
/// </para>
/// <para>
/// A cut value ends with <see cref="CutMarker"/> and the number of characters left out (<c>…(+99950 chars)</c>), so a
/// cut is never mistaken for the whole value; with a limit too small for that, just <see cref="CutMarker"/>. A limit
/// counts the characters of the result, marker included; a cut never splits an escape or a surrogate pair. Only the
/// part that is shown is examined, so cutting a 50 MB body costs what the shown part costs.
/// </para>
/// </remarks>
internal static class UntrustedText
{
    /// <summary>No limit on the length of the result.</summary>
    public const int Unlimited = int.MaxValue;

    /// <summary>The character that ends a value that was cut.</summary>
    public const string CutMarker = "…";

    /// <summary>
    /// The one-line form, for a table cell, a log line, an audit entry or a terminal: every character listed in the
    /// remarks escaped, line breaks included, cut to at most <paramref name="maxLength"/> characters. <c>null</c> gives "".
    /// </summary>
    public static string OneLine(string? text, int maxLength = Unlimited) => Render(text, maxLength, keepLineBreaks: false);

    /// <summary>
    /// The multi-line form, for an error detail (stack trace) or a text body shown on its own: like
    /// <see cref="OneLine"/>, but LF, CR LF and TAB are kept as they are (a lone CR, which moves the cursor back over the
    /// line, is still escaped).
    /// </summary>
    public static string MultiLine(string? text, int maxLength = Unlimited) => Render(text, maxLength, keepLineBreaks: true);

    /// <summary>Whether <paramref name="text"/> contains a character that <see cref="OneLine"/> escapes.</summary>
    public static bool HasUnsafeCharacters(string? text)
    {
        if (string.IsNullOrEmpty(text)) return false;
        for (var i = 0; i < text.Length; i++)
        {
            if (NeedsEscape(CodePointAt(text, i, out var width))) return true;
            i += width - 1;
        }
        return false;
    }

    /// <summary>
    /// Whether a code point is shown as an escape: controls (C0, DEL, C1), format characters (Cf: bidi controls,
    /// zero-width characters, tags), line and paragraph separators, and surrogates (only ever met alone).
    /// </summary>
    public static bool NeedsEscape(int codePoint)
    {
        if (codePoint < 0x20 || codePoint is >= 0x7f and <= 0x9f) return true;
        if (codePoint < 0xa0) return false;
        if (codePoint is >= 0xd800 and <= 0xdfff) return true;
        var category = codePoint <= 0xffff
            ? CharUnicodeInfo.GetUnicodeCategory((char)codePoint)
            : CharUnicodeInfo.GetUnicodeCategory(codePoint);
        return category is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }

    private static string Render(string? text, int maxLength, bool keepLineBreaks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        if (string.IsNullOrEmpty(text)) return "";
        if (text.Length <= maxLength && !HasUnsafeCharacters(text, keepLineBreaks)) return text;

        Span<char> escape = stackalloc char[16];
        // Everything fits: no marker. Otherwise the marker's room is kept free (its count can be no longer than the
        // input's length in digits), or, for a limit too small for a count, the bare marker's.
        var longMarker = maxLength > MarkerFor(text.Length).Length + 8;
        var room = maxLength == Unlimited || RenderedLength(text, keepLineBreaks, maxLength, escape) <= maxLength
            ? maxLength
            : maxLength - (longMarker ? MarkerFor(text.Length).Length : CutMarker.Length);
        var result = new StringBuilder(Math.Min(room, text.Length + 16));
        var i = 0;
        while (i < text.Length)
        {
            var codePoint = CodePointAt(text, i, out var width);
            var piece = Piece(text, i, codePoint, width, keepLineBreaks, escape);
            if (result.Length + piece.Length > room) break;
            result.Append(piece);
            i += width;
        }
        if (i < text.Length) result.Append(longMarker ? MarkerFor(text.Length - i) : CutMarker);
        return result.ToString();
    }

    /// <summary>The length of the rendered text, counted only until it passes <paramref name="limit"/>.</summary>
    private static long RenderedLength(string text, bool keepLineBreaks, int limit, Span<char> escape)
    {
        long length = 0;
        for (var i = 0; i < text.Length && length <= limit;)
        {
            var codePoint = CodePointAt(text, i, out var width);
            length += Piece(text, i, codePoint, width, keepLineBreaks, escape).Length;
            i += width;
        }
        return length;
    }

    private static string MarkerFor(int left) => $"{CutMarker}(+{left.ToString(CultureInfo.InvariantCulture)} chars)";

    private static bool HasUnsafeCharacters(string text, bool keepLineBreaks)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var codePoint = CodePointAt(text, i, out var width);
            if (NeedsEscape(codePoint) && !(keepLineBreaks && IsKeptLineBreak(text, i))) return true;
            i += width - 1;
        }
        return false;
    }

    private static bool IsKeptLineBreak(string text, int i) =>
        text[i] is '\n' or '\t' || (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n');

    private static ReadOnlySpan<char> Piece(string text, int i, int codePoint, int width, bool keepLineBreaks, Span<char> escape)
    {
        if (!NeedsEscape(codePoint) || (keepLineBreaks && IsKeptLineBreak(text, i))) return text.AsSpan(i, width);
        string? named = codePoint switch { '\r' => @"\r", '\n' => @"\n", '\t' => @"\t", _ => null };
        if (named is not null) return named;
        int written;
        if (codePoint <= 0x9f) escape.TryWrite(CultureInfo.InvariantCulture, $@"\x{codePoint:x2}", out written);
        else if (codePoint <= 0xffff) escape.TryWrite(CultureInfo.InvariantCulture, $@"\u{codePoint:X4}", out written);
        else escape.TryWrite(CultureInfo.InvariantCulture, $@"\u{{{codePoint:X}}}", out written);
        return escape[..written];
    }

    /// <summary>The code point at <paramref name="i"/>: a pair counts as one (width 2), a lone surrogate as itself.</summary>
    private static int CodePointAt(string text, int i, out int width)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            width = 2;
            return char.ConvertToUtf32(c, text[i + 1]);
        }
        width = 1;
        return c;
    }
}
