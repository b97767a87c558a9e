using System.Globalization;
using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using ActorMq.Admin.Security;
using Microsoft.AspNetCore.Http;

namespace ActorMq.Admin.Page;

/// <summary>
/// The single, self-contained HTML page: markup, stylesheet and script are embedded resources, inlined into one
/// document under a Content-Security-Policy that allows nothing but this page's own script and style and requests to
/// its own origin — no CDN, no font, nothing fetched from outside.
/// </summary>
internal static class AdminPage
{
    private static readonly Lazy<(string Html, string Css, string Js)> Resources = new(() =>
        (Read("admin.html"), Read("admin.css"), Read("admin.js")));

    /// <summary>The page for <paramref name="basePath"/> (where the API lives), with this browser's anti-forgery token.</summary>
    public static IResult Render(HttpContext context, string basePath, string cookiePath, AdminSettings settings)
    {
        var token = AdminAntiforgery.Issue(context, cookiePath);
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var (html, css, js) = Resources.Value;
        var page = html
            .Replace("{{nonce}}", nonce, StringComparison.Ordinal)
            .Replace("{{base}}", WebUtility.HtmlEncode(basePath), StringComparison.Ordinal)
            .Replace("{{antiforgery}}", token, StringComparison.Ordinal)
            .Replace("{{refresh-ms}}", ((long)settings.RefreshInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{chart-points}}", settings.ChartPoints.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{page-size}}", settings.PageSize.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("/*{{css}}*/", css, StringComparison.Ordinal)
            .Replace("/*{{js}}*/", js, StringComparison.Ordinal);
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self' data:; " +
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        headers.CacheControl = "no-store";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["X-Frame-Options"] = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Content(page, "text/html; charset=utf-8");
    }

    private static string Read(string name)
    {
        var assembly = typeof(AdminPage).Assembly;
        using var stream = assembly.GetManifestResourceStream($"ActorMq.Admin.Page.{name}")
            ?? throw new InvalidOperationException($"embedded resource ActorMq.Admin.Page.{name} is missing from {assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
