using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace ActorMq.Admin.Security;

/// <summary>
/// Anti-forgery by double submit: the page (or <c>GET api/antiforgery</c>) sets a random token in an HttpOnly,
/// SameSite=Strict cookie and hands the same token to the page's script, which sends it back in the
/// <c>X-ActorMq-Antiforgery</c> header on every state-changing request. Another site can neither read the token nor
/// set the header, so a forged POST is refused.
/// </summary>
internal static class AdminAntiforgery
{
    /// <summary>The request header carrying the token.</summary>
    public const string HeaderName = "X-ActorMq-Antiforgery";

    /// <summary>The cookie carrying the token.</summary>
    public const string CookieName = "ActorMq.Admin.Antiforgery";

    /// <summary>The token of this browser (the cookie's, or a new one set in the response) for <paramref name="cookiePath"/>.</summary>
    public static string Issue(HttpContext context, string cookiePath)
    {
        if (context.Request.Cookies.TryGetValue(CookieName, out var existing) && IsWellFormed(existing)) return existing;
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        context.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = cookiePath,
            IsEssential = true,
        });
        return token;
    }

    /// <summary>True when the request carries the same well-formed token in the cookie and the header.</summary>
    public static bool Validate(HttpRequest request) =>
        request.Cookies.TryGetValue(CookieName, out var cookie) && IsWellFormed(cookie) &&
        request.Headers.TryGetValue(HeaderName, out var header) && header.Count == 1 &&
        AdminGuard.FixedTimeEquals(header[0] ?? "", cookie);

    private static bool IsWellFormed(string? token) => token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
