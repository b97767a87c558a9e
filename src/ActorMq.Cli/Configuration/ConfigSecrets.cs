using System.Text.RegularExpressions;
using ActorMq.Connection;

namespace ActorMq.Cli.Configuration;

/// <summary>
/// Which configuration values are secrets, and what <c>config render</c> prints instead. Works on paths, values and the
/// description of where a value came from only, so it does not depend on the HOCON library.
/// </summary>
/// <remarks>
/// Masked: a value whose last path segment names a secret (<c>password</c>, <c>api-key</c>, <c>secret</c>, <c>token</c>,
/// e.g. <c>actormq.connection.password</c>, <c>actormq.admin.api-key</c>, <c>actormq.admin.basic-auth.password</c>);
/// the password of every URI (<c>amqp://user:***@host/</c>) and of every connection string (<c>Password=***</c>,
/// e.g. <c>actormq.dead-store.postgresql.connection-string</c>); and every value that came from an environment variable
/// (<c>${?ENV}</c>), which is where deployments put their secrets.
/// </remarks>
internal static partial class ConfigSecrets
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = UriMasker.Mask;

    private static readonly string[] SecretWords = ["password", "passwd", "pwd", "api-key", "apikey", "api_key", "secret", "token", "credentials"];

    /// <summary>True when the setting at <paramref name="path"/> is a secret whatever its value.</summary>
    public static bool IsSecretPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var last = path[(path.LastIndexOf('.') + 1)..].Trim('"').ToLowerInvariant();
        return SecretWords.Any(w => last == w || last.EndsWith("-" + w, StringComparison.Ordinal) || last.EndsWith("_" + w, StringComparison.Ordinal));
    }

    /// <summary>True when the origin (e.g. <c>env variable ORDERS_PASSWORD</c>) says the value came from the environment.</summary>
    public static bool IsFromEnvironment(string? originDescription) =>
        originDescription is not null && originDescription.StartsWith("env variable", StringComparison.Ordinal);

    /// <summary>
    /// The string a value at <paramref name="path"/> is shown as, or <see langword="null"/> when it is shown as it is.
    /// </summary>
    public static string? MaskedValue(string path, string? value, string? originDescription)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (IsSecretPath(path) || IsFromEnvironment(originDescription)) return Mask;
        var masked = MaskInText(value);
        return masked == value ? null : masked;
    }

    /// <summary>The passwords of URIs and connection strings in <paramref name="value"/> masked.</summary>
    public static string MaskInText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var masked = value.Contains("://", StringComparison.Ordinal) ? UriInText().Replace(value, m => UriMasker.MaskUri(m.Value)) : value;
        return ConnectionStringPassword().Replace(masked, m => $"{m.Groups["key"].Value}={Mask}");
    }

    [GeneratedRegex(@"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s,""']+")]
    private static partial Regex UriInText();

    [GeneratedRegex(@"(?<key>(?i:password|pwd))\s*=\s*(?:""[^""]*""|'[^']*'|[^;]*)")]
    private static partial Regex ConnectionStringPassword();
}
