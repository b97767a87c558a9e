using ActorMq.Hocon;

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
        var user = Text(config, "basic-auth.user");
        var password = Text(config, "basic-auth.password");
        if (user.Length == 0 && password.Length > 0)
            throw Invalid(config, "basic-auth.user", "a user name, since basic-auth.password is set");
        if (user.Length > 0 && password.Length == 0)
            throw Invalid(config, "basic-auth.password", $"a password for basic-auth user '{user}'");
        if (user.Contains(':', StringComparison.Ordinal))
            throw Invalid(config, "basic-auth.user", "a user name without ':' (basic authentication separates user and password with it)");
        var apiKey = Text(config, "api-key");
        var apiKeyName = Text(config, "api-key-name");
        if (apiKeyName.Length == 0) throw Invalid(config, "api-key-name", "a non-empty name");

        var refresh = Read(config, "refresh-interval", config.GetTimeSpan);
        if (refresh < TimeSpan.FromMilliseconds(250)) throw Invalid(config, "refresh-interval", $"a duration >= 250ms, got {refresh}");
        var points = Read(config, "chart-points", config.GetLong);
        if (points is < 10 or > 3600) throw Invalid(config, "chart-points", $"an integer between 10 and 3600, got {points}");
        var pageSize = Read(config, "page-size", config.GetLong);
        if (pageSize is < 1 or > 500) throw Invalid(config, "page-size", $"an integer between 1 and 500, got {pageSize}");

        return new AdminSettings(apiKey.Length == 0 ? null : apiKey, apiKeyName, user.Length == 0 ? null : user, password.Length == 0 ? null : password,
            refresh, (int)points, (int)pageSize);
    }

    /// <summary>Never prints the API key or the password.</summary>
    public override string ToString() =>
        $"AdminSettings {{ ApiKey = {(ApiKey is null ? "none" : "***")}, ApiKeyName = {ApiKeyName}, BasicAuthUser = {BasicAuthUser ?? "none"}, " +
        $"RefreshInterval = {RefreshInterval}, ChartPoints = {ChartPoints}, PageSize = {PageSize} }}";

    private static string Text(Config config, string key) => Read(config, key, config.GetString).Trim();

    private static T Read<T>(Config config, string key, Func<string, T> get)
    {
        var path = $"{Section}.{key}";
        if (!config.HasPath(path))
            throw new ConfigurationException(path, $"{path} is missing (is reference.conf loaded as the fallback?)");
        try
        {
            return get(path);
        }
        catch (ConfigException e)
        {
            throw new ConfigurationException(path, $"{path}: {e.Message}", e);
        }
    }

    private static ConfigurationException Invalid(Config config, string key, string expected)
    {
        var path = $"{Section}.{key}";
        return new ConfigurationException(path, $"{config.GetOrigin(path)}: invalid value at '{path}': expected {expected}");
    }
}
