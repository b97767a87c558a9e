using System.Collections.Concurrent;
using ActorMq.DeadStore;
using ActorMq.DeadStore.Sqlite;
using ActorMq.Publishing;
using Xunit;
using static ActorMq.Tests.DeadStore.DeadLetterSamples;

namespace ActorMq.Tests.DeadStore;

/// <summary>The replayer's bookkeeping against a real SQLite store, with a publish function standing in for the broker.</summary>
public sealed class DeadLetterReplayerSpec : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actormq-replayer-").FullName;
    private IDeadLetterStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteDeadLetterStore(new DeadStoreSettings("sqlite", TimeSpan.FromMinutes(5),
            new SqliteStoreSettings(Path.Combine(_directory, "dead.db"), TimeSpan.FromSeconds(10), SqliteSynchronous.Full),
            new PostgreSqlStoreSettings("", "", TimeSpan.FromSeconds(30))), TimeProvider.System);
        await _store.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_publish_that_throws_something_unexpected_fails_only_its_row_and_the_confirmed_rows_are_never_published_twice()
    {
        var ids = await _store.AddBatchAsync([.. Enumerable.Range(1, 30).Select(i => Letter(messageId: $"m-{i}"))]);
        var publishes = new ConcurrentDictionary<string, int>();
        var replayer = new DeadLetterReplayer(_store, async request =>
        {
            publishes.AddOrUpdate(request.MessageId, 1, (_, n) => n + 1);
            await Task.Yield();
            if (request.MessageId == "m-7") throw new InvalidCastException("a stored property the client refuses");
            return new Published(request.MessageId);
        }, "retry-count", new global::ActorMq.Diagnostics.ActorMqInstruments());

        var first = await replayer.ReplayAsync(DeadLetterFilter.All, new ReplayOptions { BatchSize = 8 });

        Assert.Equal(29, first.Replayed);
        var failed = Assert.Single(first.Outcomes, o => !o.Replayed);
        Assert.Equal("m-7", failed.MessageId);
        Assert.Contains("InvalidCastException", failed.Error);
        var rows = await Task.WhenAll(ids.Select(id => _store.GetAsync(id)));
        Assert.Equal(DeadLetterState.Dead, Assert.Single(rows, r => r!.Letter.MessageId == "m-7")!.State);
        Assert.All(rows.Where(r => r!.Letter.MessageId != "m-7"), r => Assert.Equal(DeadLetterState.Replayed, r!.State));

        // A second replay takes only the row that failed.
        var second = await replayer.ReplayAsync(DeadLetterFilter.All);
        Assert.Equal(["m-7"], second.Outcomes.Select(o => o.MessageId));
        Assert.All(publishes.Where(p => p.Key != "m-7"), p => Assert.Equal(1, p.Value));
    }
}
