using System.Net;
using System.Security.Cryptography;
using System.Text;
using ActorMq.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ActorMq.Admin.Security;

/// <summary>
/// Decides who a request is, or refuses it. With credentials configured (<c>actormq.admin.api-key</c>,
/// <c>actormq.admin.basic-auth</c>) every request must carry one of them — an <c>X-Api-Key</c> header or HTTP basic
/// authentication — and is then that API key's name or that user; a client presenting wrong ones too often is blocked
/// for a while (<see cref="FailedSignIns"/>). Without credentials only loopback clients are served, as
/// <see cref="Loopback"/>, and only when the request shows it was meant for this machine: its <c>Host</c> is
/// <c>localhost</c>, <c>127.0.0.1</c> or <c>[::1]</c> with the port it arrived on (a DNS-rebinding page on another name
/// is refused, and so never receives the anti-forgery token), and it carries no <c>Forwarded</c>,
/// <c>X-Forwarded-For</c>, <c>X-Forwarded-Host</c>, <c>X-Real-IP</c> or <c>Via</c> header (a proxy on this machine
/// relaying someone else). With or without credentials, a state-changing request that names its origin
/// (<c>Origin</c>, <c>Sec-Fetch-Site</c>) must come from the page's own origin.
/// </summary>
internal sealed class AdminGuard(AdminSettings settings, ILogger logger, TimeProvider? time = null)
{
    /// <summary>The header scripts send the API key in.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>Who an unauthenticated loopback client is in the audit log.</summary>
    public const string Loopback = "loopback";

    /// <summary>The <c>Host</c> names a request without credentials may carry.</summary>
    public static readonly IReadOnlyList<string> LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>Headers by which a proxy says it relays another client.</summary>
    public static readonly IReadOnlyList<string> ForwardingHeaders = ["Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP", "Via"];

    /// <summary>The key under <see cref="HttpContext.Items"/> holding who the request is.</summary>
    private const string WhoItem = "ActorMq.Admin.Who";

    private readonly FailedSignIns _failures = new(time ?? TimeProvider.System);

    /// <summary>Who the (already admitted) request is.</summary>
    public static string Who(HttpContext context) => context.Items[WhoItem] as string ?? Loopback;

    /// <summary>Null when <paramref name="context"/> may go on (and who it is is recorded), else the response refusing it.</summary>
    public IResult? Admit(HttpContext context)
    {
        var request = context.Request;
        var remote = context.Connection.RemoteIpAddress;
        var remoteText = remote?.ToString() ?? "unknown";
        if (!settings.HasCredentials)
        {
            if (remote is not null && !IPAddress.IsLoopback(remote))
            {
                AdminLog.RefusedRemoteWithoutCredentials(logger, remoteText, Shown(request.Path));
                return Refuse(StatusCodes.Status403Forbidden, "The ActorMq admin page serves only loopback clients",
                    $"no credentials are configured: set {AdminSettings.Section}.api-key or {AdminSettings.Section}.basic-auth to allow other clients");
            }
            if (ForwardingHeaders.FirstOrDefault(h => request.Headers.ContainsKey(h)) is { } forwarded)
            {
                AdminLog.RefusedForwarded(logger, remoteText, Shown(request.Path), forwarded);
                return Refuse(StatusCodes.Status403Forbidden, "The ActorMq admin page does not serve proxied requests without credentials",
                    $"the request carries a {forwarded} header: a proxy relays it for another client, which loopback-only access cannot vouch for; " +
                    $"set {AdminSettings.Section}.api-key or {AdminSettings.Section}.basic-auth to serve it through a proxy");
            }
            if (!IsLoopbackHost(request.Host, context.Connection.LocalPort))
            {
                AdminLog.RefusedHost(logger, remoteText, Shown(request.Path), Shown(request.Host.Value));
                return Refuse(StatusCodes.Status403Forbidden, "The ActorMq admin page answers only to localhost, 127.0.0.1 and [::1]",
                    $"without credentials the Host header must be one of {string.Join(", ", LoopbackHosts)} with the port {context.Connection.LocalPort} " +
                    "(another name may be a hostile site that rebinds its name to this machine)");
            }
            if (ForeignOrigin(request) is { } origin)
            {
                AdminLog.RefusedOrigin(logger, Loopback, Shown(request.Path), Shown(origin));
                return Refuse(StatusCodes.Status403Forbidden, "Cross-origin request refused", $"state-changing requests must come from the admin page itself, not from {UntrustedText.OneLine(origin, 200)}");
            }
            context.Items[WhoItem] = Loopback;
            return null;
        }

        if (_failures.BlockedFor(remote) is { } blocked) return TooMany(context, blocked);
        if (Authenticate(request) is { } who)
        {
            _failures.Forget(remote);
            if (ForeignOrigin(request) is { } origin)
            {
                AdminLog.RefusedOrigin(logger, who, Shown(request.Path), Shown(origin));
                return Refuse(StatusCodes.Status403Forbidden, "Cross-origin request refused", $"state-changing requests must come from the admin page itself, not from {UntrustedText.OneLine(origin, 200)}");
            }
            context.Items[WhoItem] = who;
            return null;
        }
        AdminLog.RefusedUnauthenticated(logger, remoteText, Shown(request.Path));
        if (_failures.Failed(remote) is { } block)
        {
            AdminLog.SignInBlocked(logger, remoteText, FailedSignIns.FreeFailures, block.TotalSeconds);
            return TooMany(context, block);
        }
        if (settings.BasicAuthUser is not null) context.Response.Headers.WWWAuthenticate = "Basic realm=\"ActorMq admin\", charset=\"UTF-8\"";
        return Results.Unauthorized();
    }

    /// <summary>
    /// True for <c>localhost</c>, <c>127.0.0.1</c> and <c>[::1]</c> with <paramref name="localPort"/> (the port may be left
    /// out only where it is the default, 80).
    /// </summary>
    internal static bool IsLoopbackHost(HostString host, int localPort)
    {
        if (!host.HasValue || !LoopbackHosts.Contains(host.Host, StringComparer.OrdinalIgnoreCase)) return false;
        return host.Port is { } port ? port == localPort : localPort is 80 or 0; // 0: a Unix socket or an in-process server
    }

    /// <summary>
    /// For a state-changing request, the origin it names when that is not the request's own (scheme, host and port);
    /// null for a safe method, a same-origin request, or a client that names no origin (curl, scripts).
    /// </summary>
    internal static string? ForeignOrigin(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)) return null;
        if (request.Headers.Origin is { Count: > 0 } origins)
        {
            var own = $"{request.Scheme}://{request.Host.Value}";
            return origins.Count == 1 && string.Equals(origins[0], own, StringComparison.OrdinalIgnoreCase) ? null : origins.ToString();
        }
        if (request.Headers["Sec-Fetch-Site"] is { Count: > 0 } site && site.ToString() is not ("same-origin" or "none"))
            return $"a {site} page (Sec-Fetch-Site)";
        return null;
    }

    private static string Shown(string? text) => UntrustedText.OneLine(text, 200);

    private static IResult Refuse(int status, string title, string detail) => Results.Problem(statusCode: status, title: title, detail: detail);

    private static IResult TooMany(HttpContext context, TimeSpan blocked)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(blocked.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Refuse(StatusCodes.Status429TooManyRequests, "Too many failed sign-ins from this client",
            $"after {FailedSignIns.FreeFailures} wrong API keys or passwords this client is blocked; try again in {seconds} s");
    }

    private string? Authenticate(HttpRequest request)
    {
        if (settings.ApiKey is { } key && request.Headers.TryGetValue(ApiKeyHeader, out var presented) && presented.Count == 1 &&
            FixedTimeEquals(presented[0] ?? "", key))
            return settings.ApiKeyName;

        if (settings.BasicAuthUser is { } user && settings.BasicAuthPassword is { } password &&
            request.Headers.Authorization is [{ } authorization] &&
            authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) &&
            DecodeBasic(authorization["Basic ".Length..].Trim()) is (string givenUser, string givenPassword) &&
            FixedTimeEquals(givenUser, user) & FixedTimeEquals(givenPassword, password))
            return user;
        return null;
    }

    private static (string User, string Password)? DecodeBasic(string encoded)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Compares without leaking how much of a secret matched through timing.</summary>
    internal static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
