using Akka.Configuration;

namespace ActorMq.Admin;

/// <summary>
/// The admin page's settings, from <c>actormq.admin</c> (see <c>hocon/reference.conf</c> for every key and its default).
/// </summary>
/// <param name="ApiKey">The API key accepted in the <c>X-Api-Key</c> header, or null for none.</param>
/// <param name="ApiKeyName">Who a request authenticated with the API key is in the audit log.</param>
/// <param name="BasicAuthUser">The HTTP basic authentication user, or null for none.</param>
/// <param name="BasicAuthPassword">The HTTP basic authentication password (null when there is no user).</param>
/// <param name="RefreshInterval">How often the overview page polls.</param>
/// <param name="ChartPoints">Points kept on the live chart.</param>
/// <param name="PageSize">Dead letters per page.</param>
public sealed record AdminSettings(
    string? ApiKey, string ApiKeyName, string? BasicAuthUser, string? BasicAuthPassword, TimeSpan RefreshInterval, int ChartPoints, int PageSize)
{
    /// <summary>The HOCON section these settings are read from.</summary>
    public const string Section = "actormq.admin";

    /// <summary>True when an API key or a basic-auth user is configured: every request must then authenticate.</summary>
    public bool HasCredentials => ApiKey is not null || BasicAuthUser is not null;

    /// <summary>Reads and validates <c>actormq.admin</c> from <paramref name="config"/> (with reference.conf as its fallback).</summary>
    /// <exception cref="ConfigurationException">A key is missing or invalid; the message names its path and where it was set.</exception>
    public static AdminSettings Create(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var reader = ActorMq.Settings.SettingsReader.For(config, Section);
        var user = reader.String("basic-auth.user").Trim();
        var password = reader.String("basic-auth.password").Trim();
        if (user.Length == 0 && password.Length > 0)
            throw reader.Invalid("basic-auth.user", "a user name, since basic-auth.password is set");
        if (user.Length > 0 && password.Length == 0)
            throw reader.Invalid("basic-auth.password", $"a password for basic-auth user '{user}'", secret: true);
        if (user.Contains(':', StringComparison.Ordinal))
            throw reader.Invalid("basic-auth.user", "a user name without ':' (basic authentication separates user and password with it)");
        var apiKey = reader.String("api-key").Trim();
        var apiKeyName = reader.String("api-key-name").Trim();
        if (apiKeyName.Length == 0) throw reader.Invalid("api-key-name", "a non-empty name");

        var refresh = reader.Duration("refresh-interval", positive: true);
        if (refresh < TimeSpan.FromMilliseconds(250)) throw reader.Invalid("refresh-interval", "a duration >= 250ms");
        var points = reader.Int("chart-points", 10, 3600);
        var pageSize = reader.Int("page-size", 1, 500);

        return new AdminSettings(apiKey.Length == 0 ? null : apiKey, apiKeyName, user.Length == 0 ? null : user, password.Length == 0 ? null : password,
            refresh, points, pageSize);
    }

    /// <summary>Never prints the API key or the password.</summary>
    public override string ToString() =>
        $"AdminSettings {{ ApiKey = {(ApiKey is null ? "none" : "***")}, ApiKeyName = {ApiKeyName}, BasicAuthUser = {BasicAuthUser ?? "none"}, " +
        $"RefreshInterval = {RefreshInterval}, ChartPoints = {ChartPoints}, PageSize = {PageSize} }}";
}
