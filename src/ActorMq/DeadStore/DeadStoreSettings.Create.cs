using System.Text.RegularExpressions;
using Akka.Configuration;

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
        var reader = Settings.SettingsReader.For(config, Section);
        var provider = reader.Enum("provider", $"{SqliteProvider}, {PostgreSqlProvider}", (SqliteProvider, SqliteProvider), (PostgreSqlProvider, PostgreSqlProvider));
        var connectionString = reader.String("postgresql.connection-string");
        if (provider == PostgreSqlProvider && string.IsNullOrWhiteSpace(connectionString))
            throw reader.Invalid("postgresql.connection-string", "a non-empty Npgsql connection string when provider = postgresql", secret: true);
        var sqlitePath = reader.String("sqlite.path");
        if (string.IsNullOrWhiteSpace(sqlitePath)) throw reader.Invalid("sqlite.path", "a non-empty file path");
        var schema = reader.String("postgresql.schema");
        if (schema.Length > 0 && !Identifier().IsMatch(schema))
            throw reader.Invalid("postgresql.schema", "empty or an identifier (a letter or underscore, then letters, digits, underscores; at most 63)");
        var commandTimeout = reader.Duration("postgresql.command-timeout", positive: true);
        if (commandTimeout < TimeSpan.FromSeconds(1)) throw reader.Invalid("postgresql.command-timeout", "a duration >= 1s");
        return new DeadStoreSettings(
            provider,
            reader.Duration("claim-timeout", positive: true),
            new SqliteStoreSettings(
                sqlitePath,
                reader.Duration("sqlite.busy-timeout", positive: false),
                reader.Enum("sqlite.synchronous", "full, normal", ("full", SqliteSynchronous.Full), ("normal", SqliteSynchronous.Normal))),
            new PostgreSqlStoreSettings(connectionString, schema, commandTimeout));
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
