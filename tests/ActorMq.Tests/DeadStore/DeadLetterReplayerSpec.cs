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
        }, "retry-count", new global::ActorMq.Diagnostics.ActorMqInstruments(), new HashSet<string> { "guest" });

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

    [Fact]
    public async Task A_replayed_copy_names_its_row_and_this_store_so_the_consumer_can_report_back()
    {
        var id = await _store.AddAsync(Letter(messageId: "m-1"));
        var published = new ConcurrentBag<PublishRequest>();
        var replayer = Replayer(published);

        await replayer.ReplayAsync(DeadLetterFilter.All);

        var copy = Assert.Single(published);
        var lineage = ReplayLineage.Of(copy.Properties.Headers);
        Assert.Equal((await _store.GetIdAsync(), id), lineage);
    }

    [Fact]
    public async Task An_edited_replay_publishes_the_edit_and_keeps_the_stored_row_as_it_was()
    {
        var original = Letter(messageId: "m-1", body: "{\"amount\":-2}"u8.ToArray(),
            headers: new Dictionary<string, object?> { ["tenant"] = "acme", ["retry-count"] = 3, ["keep"] = 7L });
        var id = await _store.AddAsync(original);
        var published = new ConcurrentBag<PublishRequest>();
        var replayer = Replayer(published);

        var outcome = await replayer.ReplayEditedAsync(id, new DeadLetterEdit
        {
            Body = "{\"amount\":2}"u8.ToArray(),
            Headers = new Dictionary<string, object?> { ["tenant"] = "globex", ["retry-count"] = 3 },
        });

        Assert.True(outcome!.Replayed);
        var copy = Assert.Single(published);
        Assert.Equal("{\"amount\":2}", System.Text.Encoding.UTF8.GetString(copy.Body.Span));
        var headers = copy.Properties.Headers!;
        Assert.Equal("globex", headers["tenant"]);
        Assert.False(headers.ContainsKey("keep"));
        Assert.False(headers.ContainsKey("retry-count")); // the attempt header goes, as in any replay
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), headers[DeadLetterReplayer.ReplayedFromHeader]);
        var row = (await _store.GetAsync(id))!;
        Assert.Equal(DeadLetterState.Replayed, row.State);
        Assert.Equal(original.Body.ToArray(), row.Letter.Body.ToArray());
        Assert.Equal("acme", row.Letter.Headers["tenant"]);
        Assert.Equal(7L, row.Letter.Headers["keep"]);

        // Only a dead row is replayed, edited or not.
        Assert.Null(await replayer.ReplayEditedAsync(id, new DeadLetterEdit { Body = "{}"u8.ToArray() }));
        Assert.Null(await replayer.ReplayEditedAsync(9_999, new DeadLetterEdit { Body = "{}"u8.ToArray() }));
        Assert.Single(published);
    }

    private DeadLetterReplayer Replayer(ConcurrentBag<PublishRequest> published) => new(_store, request =>
    {
        published.Add(request);
        return Task.FromResult(new Published(request.Properties.MessageId!));
    }, "retry-count", new global::ActorMq.Diagnostics.ActorMqInstruments(), new HashSet<string> { "guest" });

    [Fact]
    public async Task The_store_calls_of_a_replay_run_one_at_a_time_on_a_thread_of_the_replays_own_not_on_the_thread_pool()
    {
        await _store.AddBatchAsync([.. Enumerable.Range(1, 40).Select(i => Letter(messageId: $"m-{i}"))]);
        var recording = new RecordingStore(_store);
        var replayer = new DeadLetterReplayer(recording, async request =>
        {
            await Task.Yield();
            return new Published(request.MessageId);
        }, "retry-count", new global::ActorMq.Diagnostics.ActorMqInstruments(), new HashSet<string> { "guest" });

        var result = await replayer.ReplayAsync(DeadLetterFilter.All, new ReplayOptions { BatchSize = 8 });

        Assert.Equal(40, result.Replayed);
        Assert.Contains(recording.Calls, c => c.Operation == "claim");
        Assert.Contains(recording.Calls, c => c.Operation == "mark");
        Assert.All(recording.Calls, c => Assert.False(c.OnThreadPool, $"{c.Operation} ran on a thread-pool thread"));
        Assert.Single(recording.Calls.Select(c => c.ThreadId).Distinct());
        Assert.Equal(1, recording.MostAtOnce);
    }

    /// <summary>Records on which thread each replay call reached the store, and how many were inside it at once.</summary>
    private sealed class RecordingStore(IDeadLetterStore inner) : IDeadLetterStore
    {
        private readonly Lock _gate = new();
        private int _inside;
        private int _mostAtOnce;

        public ConcurrentQueue<(string Operation, bool OnThreadPool, int ThreadId)> Calls { get; } = new();

        public int MostAtOnce
        {
            get
            {
                lock (_gate) return _mostAtOnce;
            }
        }

        public string Name => inner.Name;

        public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

        public Task<string> GetIdAsync(CancellationToken cancellationToken = default) => inner.GetIdAsync(cancellationToken);

        public Task<int> MarkResolvedAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default) => inner.MarkResolvedAsync(ids, cancellationToken);

        public Task<long> AddAsync(DeadLetter letter, CancellationToken cancellationToken = default) => inner.AddAsync(letter, cancellationToken);

        public Task<IReadOnlyList<long>> AddBatchAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken = default) =>
            inner.AddBatchAsync(letters, cancellationToken);

        public Task<DeadLetterRecord?> GetAsync(long id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

        public Task<DeadLetterPage> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken = default) => inner.ListAsync(query, cancellationToken);

        public Task<IReadOnlyList<DeadLetterCount>> CountAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default) =>
            inner.CountAsync(filter, cancellationToken);

        public Task<IReadOnlyList<DeadLetterGroup>> GroupsAsync(DeadLetterFilter filter, int limit = 1000, CancellationToken cancellationToken = default) =>
            inner.GroupsAsync(filter, limit, cancellationToken);

        public Task<IReadOnlyList<DeadLetterRecord>> ClaimForReplayAsync(DeadLetterFilter filter, int limit, string claimant,
            CancellationToken cancellationToken = default) => Record("claim", () => inner.ClaimForReplayAsync(filter, limit, claimant, cancellationToken));

        public Task<int> MarkReplayedAsync(IReadOnlyList<long> ids, string claimant, CancellationToken cancellationToken = default) =>
            Record("mark", () => inner.MarkReplayedAsync(ids, claimant, cancellationToken));

        public Task<int> ReleaseClaimAsync(IReadOnlyList<long> ids, string claimant, string? error = null, CancellationToken cancellationToken = default) =>
            Record("release", () => inner.ReleaseClaimAsync(ids, claimant, error, cancellationToken));

        public Task<int> DiscardAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default) => inner.DiscardAsync(filter, cancellationToken);

        public Task<int> PurgeAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default) => inner.PurgeAsync(filter, cancellationToken);

        public Task<int> IndexForSearchAsync(int maxRows, CancellationToken cancellationToken = default) => inner.IndexForSearchAsync(maxRows, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        private Task<T> Record<T>(string operation, Func<Task<T>> call)
        {
            Calls.Enqueue((operation, Thread.CurrentThread.IsThreadPoolThread, Environment.CurrentManagedThreadId));
            lock (_gate) _mostAtOnce = Math.Max(_mostAtOnce, ++_inside);
            try
            {
                return call();
            }
            finally
            {
                lock (_gate) _inside--;
            }
        }
    }
}
