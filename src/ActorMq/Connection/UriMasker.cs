namespace ActorMq.Connection;

/// <summary>Hides the password of an AMQP URI before it reaches a log line, an exception or a health report.</summary>
public static class UriMasker
{
    /// <summary>The mask that replaces a password.</summary>
    public const string Mask = "***";

    /// <summary>
    /// <c>amqp://user:secret@host:5672/vhost</c> → <c>amqp://user:***@host:5672/vhost</c>. Works on text that is not a
    /// valid URI too: whatever stands between <c>://</c> and the last <c>@</c> of the authority loses its password. A
    /// password with an unencoded <c>/</c>, <c>?</c> or <c>#</c> (<c>amqp://app:pa/ss#1@host</c>) seems to end the
    /// authority early; when what stands before that character holds a <c>:</c> and an <c>@</c> follows later, everything
    /// up to the last <c>@</c> is taken as the password — masking too much (a port, a virtual host with an <c>@</c>) rather
    /// than ever showing part of a password.
    /// </summary>
    public static string MaskUri(string? uri)
    {
        if (string.IsNullOrEmpty(uri)) return uri ?? "";
        var schemeEnd = uri.IndexOf("://", StringComparison.Ordinal);
        var authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
        var authorityEnd = uri.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0) authorityEnd = uri.Length;
        var at = authorityEnd > authorityStart ? uri.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart) : -1;
        if (at < 0 && authorityEnd < uri.Length && uri.IndexOf(':', authorityStart, authorityEnd - authorityStart) >= 0)
            at = uri.LastIndexOf('@'); // a password with an unencoded '/', '?' or '#'
        if (at < authorityStart) return uri;
        var userInfo = uri[authorityStart..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? userInfo : userInfo[..colon];
        return colon < 0
            ? uri // a user name only, no password to hide
            : $"{uri[..authorityStart]}{user}:{Mask}{uri[at..]}";
    }

    /// <summary>Masks <paramref name="uri"/>.</summary>
    public static string MaskUri(Uri uri) => MaskUri(uri.OriginalString);

    /// <summary>Masks every URI in <paramref name="uris"/>, joined with <c>", "</c> for a log line.</summary>
    public static string MaskAll(IEnumerable<string> uris) => string.Join(", ", uris.Select(MaskUri));

    /// <summary>Masks the password of every <c>amqp://</c> / <c>amqps://</c> URI inside free text (exception messages, reasons).</summary>
    public static string MaskText(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        return System.Text.RegularExpressions.Regex.Replace(text, @"amqps?://[^\s'""]+", m => MaskUri(m.Value));
    }
}
