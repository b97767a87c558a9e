using System.Text.RegularExpressions;
using ActorMq.Hocon;

namespace ActorMq.DeadStore;

public sealed partial record DeadStoreSettings
{
    /// <summary>The HOCON section these settings are read from.</summary>
    public const string Section = "actormq.dead-store";

    /// <summary>The provider name of the embedded SQLite store.</summary>
    public const string SqliteProvider = "sqlite";

    /// <summary>The provider name of the PostgreSQL store.</summary>
    public const string PostgreSqlProvider = "postgresql";

    /// <summary>
    /// Reads and validates <c>actormq.dead-store</c> from <paramref name="config"/> (the whole
    /// configuration, with <c>reference.conf</c> as its fallback for the defaults).
    /// </summary>
    /// <exception cref="ConfigurationException">A setting is missing or bad; the message names its path, where it was set and what is expected.</exception>
    public static DeadStoreSettings Create(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var reader = new SettingsReader(config);
        var provider = reader.OneOf("provider", SqliteProvider, PostgreSqlProvider);
        var settings = new DeadStoreSettings(
            provider,
            reader.Duration("claim-timeout", TimeSpan.FromTicks(1), "a duration > 0"),
            new SqliteStoreSettings(
                reader.Text("sqlite.path", allowEmpty: false),
                reader.Duration("sqlite.busy-timeout", TimeSpan.Zero, "a duration >= 0"),
                reader.OneOf("sqlite.synchronous", "full", "normal") == "full" ? SqliteSynchronous.Full : SqliteSynchronous.Normal),
            new PostgreSqlStoreSettings(
                reader.Text("postgresql.connection-string", allowEmpty: provider != PostgreSqlProvider),
                reader.Schema("postgresql.schema"),
                reader.Duration("postgresql.command-timeout", TimeSpan.FromSeconds(1), "a duration >= 1s")));
        return settings;
    }

    /// <summary>Reads keys under <see cref="Section"/>, turning every HOCON failure into a <see cref="ConfigurationException"/>.</summary>
    private sealed partial class SettingsReader(Config config)
    {
        public string Text(string key, bool allowEmpty)
        {
            var text = Read(key, config.GetString);
            if (!allowEmpty && string.IsNullOrWhiteSpace(text)) throw Bad(key, "expected a non-empty string");
            return text;
        }

        public string OneOf(string key, params string[] allowed)
        {
            var text = Read(key, config.GetString);
            return allowed.Contains(text, StringComparer.Ordinal)
                ? text
                : throw Bad(key, $"expected one of {string.Join(", ", allowed)}, got '{text}'");
        }

        public TimeSpan Duration(string key, TimeSpan minimum, string expected)
        {
            var duration = Read(key, config.GetTimeSpan);
            return duration >= minimum ? duration : throw Bad(key, $"expected {expected}, got {duration}");
        }

        public string Schema(string key)
        {
            var schema = Read(key, config.GetString);
            return schema.Length == 0 || Identifier().IsMatch(schema)
                ? schema
                : throw Bad(key, $"expected empty or an identifier (a letter or underscore, then letters, digits, underscores; at most 63), got '{schema}'");
        }

        private T Read<T>(string key, Func<string, T> get)
        {
            var path = $"{Section}.{key}";
            try
            {
                return get(path);
            }
            catch (ConfigException e)
            {
                throw new ConfigurationException(path, $"{path}: {e.Message}", e);
            }
        }

        private ConfigurationException Bad(string key, string expected)
        {
            var path = $"{Section}.{key}";
            return new ConfigurationException(path, $"{config.GetOrigin(path)}: invalid value at '{path}': {expected}");
        }

        [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
        private static partial Regex Identifier();
    }
}
