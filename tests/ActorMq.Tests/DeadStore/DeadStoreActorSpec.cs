using ActorMq.Consuming;
using ActorMq.DeadStore;
using ActorMq.DeadStore.Sqlite;
using ActorMq.Diagnostics;
using ActorMq.Tests.Shared;
using Microsoft.Data.Sqlite;
using RabbitMQ.Client;
using Xunit;
using static ActorMq.Tests.DeadStore.DeadLetterSamples;

namespace ActorMq.Tests.DeadStore;

/// <summary>The DeadStoreActor over a real SQLite store: it commits, settles, and indexes for search when it has nothing to write.</summary>
public sealed class DeadStoreActorSpec : ActorMqTestKit, IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actormq-dead-store-actor-").FullName;
    private SqliteDeadLetterStore? _store;

    private string DatabasePath => Path.Combine(_directory, "actormq-dead.db");

    public Task InitializeAsync()
    {
        _store = new SqliteDeadLetterStore(new DeadStoreSettings("sqlite", TimeSpan.FromMinutes(5),
            new SqliteStoreSettings(DatabasePath, TimeSpan.FromSeconds(10), SqliteSynchronous.Normal), new PostgreSqlStoreSettings("", "", TimeSpan.FromSeconds(30))));
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Sys.Terminate();
        if (_store is not null) await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Dead_letters_are_committed_settled_and_then_indexed_for_search_while_nothing_waits_to_be_written()
    {
        var actor = Sys.ActorOf(DeadStoreActor.Props(_store!, 100, "akka.actor.default-dispatcher", new ActorMqInstruments()));
        var count = DeadStoreActor.IndexBatch * 2 + 7; // more than one index batch
        for (var i = 0; i < count; i++)
        {
            var delivery = new Delivery(i + 1, 1, false, "", "orders", new BasicProperties(), ReadOnlyMemory<byte>.Empty);
            actor.Tell(new StoreDeadLetter("orders", Letter(errorMessage: $"stock gone for order {i}"), delivery, "gave up", TestActor), TestActor);
        }
        for (var i = 0; i < count; i++) await ExpectMsgAsync<FailureSettled>(TimeSpan.FromSeconds(30));

        // No search ran: the actor indexed every row itself once nothing was left to write.
        await AwaitConditionAsync(() => IndexedThrough() == count, TimeSpan.FromSeconds(30));
        Assert.Equal(0, await _store!.IndexForSearchAsync(10));
    }

    /// <summary>The store's record of up to which id rows are indexed, read through a connection of its own.</summary>
    private long IndexedThrough()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM actormq_dead_store_meta WHERE key = 'search_indexed_through'";
        return command.ExecuteScalar() is string value ? long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : -1;
    }
}
