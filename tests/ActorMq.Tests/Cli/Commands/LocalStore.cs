using ActorMq.DeadStore;
using ActorMq.DeadStore.Sqlite;
using Akka.Configuration;

namespace ActorMq.Tests.Cli.Commands;

/// <summary>A temporary directory with a HOCON file naming a SQLite dead store in it, for running commands against.</summary>
public sealed class LocalStore : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actormq-cli-spec.").FullName;

    public LocalStore()
    {
        DatabasePath = Path.Combine(_directory, "dead.db");
        ConfigPath = Path.Combine(_directory, "app.conf");
        File.WriteAllText(ConfigPath, $"actormq.dead-store.sqlite.path = \"{DatabasePath}\"\n");
    }

    public string DatabasePath { get; }

    public string ConfigPath { get; }

    /// <summary>Opens the store (creating it) for arranging and checking rows.</summary>
    public async Task<IDeadLetterStore> OpenAsync()
    {
        var store = new SqliteDeadLetterStoreProvider().Create(DeadStoreSettings.Create(ActorMq.Tests.Shared.TestConfig.Load(ConfigPath)));
        await store.InitializeAsync();
        return store;
    }

    /// <summary>Adds the letters and returns their ids.</summary>
    public async Task<IReadOnlyList<long>> AddAsync(params DeadLetter[] letters)
    {
        await using var store = await OpenAsync();
        return await store.AddBatchAsync(letters);
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}
