using System.CommandLine;
using ActorMq.Cli.Commands;
using ActorMq.Cli.Configuration;
using ActorMq.DeadStore;
using ActorMq.DeadStore.PostgreSql;
using ActorMq.DeadStore.Sqlite;
using Akka.Configuration;

namespace ActorMq.Cli.DeadLetters;

/// <summary>Loads the configuration a command names and opens the dead store it describes.</summary>
internal static class DeadStoreAccess
{
    /// <summary>A new option naming the HOCON file.</summary>
    public static Option<string?> ConfigOption() =>
        CliOptions.Text("--config", "FILE", "the service's HOCON file (default: ./application.conf when it exists); its actormq.dead-store is used");

    /// <summary>The file named by <c>--config</c> (or <c>./application.conf</c>) over reference.conf, resolved.</summary>
    public static Config LoadConfig(ParseResult parseResult, Option<string?> option)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return CliConfig.Load(parseResult.GetValue(option));
    }

    /// <summary>
    /// Fails when the configured store is a SQLite file that does not exist: a listing or replay against a path
    /// mistyped in the configuration must not quietly create an empty store.
    /// </summary>
    /// <exception cref="CommandFailedException">The SQLite file is missing.</exception>
    public static DeadStoreSettings RequireExistingStore(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var settings = DeadStoreSettings.Create(config);
        if (settings.Provider != DeadStoreSettings.SqliteProvider) return settings;
        var path = Path.GetFullPath(settings.Sqlite.Path);
        if (File.Exists(path)) return settings;
        const string key = DeadStoreSettings.Section + ".sqlite.path";
        throw new CommandFailedException(
            $"no dead store at '{path}' ({key} = \"{settings.Sqlite.Path}\"; a relative path is relative to the working directory)");
    }

    /// <summary>Opens (and initializes) the configured store, which must exist.</summary>
    public static async Task<IDeadLetterStore> OpenAsync(Config config, CancellationToken cancellationToken)
    {
        var settings = RequireExistingStore(config);
        var store = new DeadLetterStoreFactory([new SqliteDeadLetterStoreProvider(), new PostgreSqlDeadLetterStoreProvider()]).Create(settings);
        try
        {
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
