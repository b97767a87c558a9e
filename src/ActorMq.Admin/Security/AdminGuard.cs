using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ActorMq.Admin.Security;

/// <summary>
/// Decides who a request is, or refuses it. With credentials configured (<c>actormq.admin.api-key</c>,
/// <c>actormq.admin.basic-auth</c>) every request must carry one of them — an <c>X-Api-Key</c> header or HTTP basic
/// authentication — and is then that API key's name or that user. Without credentials only loopback clients are
/// served, as <see cref="Loopback"/>.
/// </summary>
internal sealed class AdminGuard(AdminSettings settings, ILogger logger)
{
    /// <summary>The header scripts send the API key in.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>Who an unauthenticated loopback client is in the audit log.</summary>
    public const string Loopback = "loopback";

    /// <summary>The key under <see cref="HttpContext.Items"/> holding who the request is.</summary>
    private const string WhoItem = "ActorMq.Admin.Who";

    /// <summary>Who the (already admitted) request is.</summary>
    public static string Who(HttpContext context) => context.Items[WhoItem] as string ?? Loopback;

    /// <summary>Null when <paramref name="context"/> may go on (and who it is is recorded), else the response refusing it.</summary>
    public IResult? Admit(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (!settings.HasCredentials)
        {
            if (remote is null || IPAddress.IsLoopback(remote))
            {
                context.Items[WhoItem] = Loopback;
                return null;
            }
            AdminLog.RefusedRemoteWithoutCredentials(logger, remote.ToString(), context.Request.Path);
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The ActorMq admin page serves only loopback clients",
                detail: $"no credentials are configured: set {AdminSettings.Section}.api-key or {AdminSettings.Section}.basic-auth to allow other clients");
        }

        if (Authenticate(context.Request) is { } who)
        {
            context.Items[WhoItem] = who;
            return null;
        }
        AdminLog.RefusedUnauthenticated(logger, remote?.ToString() ?? "unknown", context.Request.Path);
        if (settings.BasicAuthUser is not null) context.Response.Headers.WWWAuthenticate = "Basic realm=\"ActorMq admin\", charset=\"UTF-8\"";
        return Results.Unauthorized();
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
