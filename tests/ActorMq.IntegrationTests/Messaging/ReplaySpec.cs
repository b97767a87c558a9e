using Akka.Configuration;
using System.Collections.Concurrent;
using ActorMq.DeadStore;
using ActorMq.TestKit.Broker;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Messaging;

/// <summary>Dead letters go back to the queue they failed in, once each, and only after the broker confirmed them.</summary>
public sealed class ReplaySpec(RabbitMqFixture broker, ITestOutputHelper output)
    : BrokerSpec(broker, output, "actormq.consumer-defaults.retry { delays = [100ms], max-attempts = 1 }"), IClassFixture<RabbitMqFixture>
{
    private volatile bool _broken = true;
    private readonly ConcurrentDictionary<string, int> _handled = new();
    private readonly ConcurrentQueue<(string Id, int Attempt, Dictionary<string, object?> Headers)> _deliveries = new();

    /// <summary>Each test its own queue: a test class shares one virtual host.</summary>
    private readonly string _queue = "refunds-" + Guid.NewGuid().ToString("N")[..6];

    private Task<ActorMqClient> StartRefundsAsync(string? config = null) => StartAsync(b => b.AddHandler<OrderPlaced>(_queue, (o, c, _) =>
    {
        if (_broken) throw o.Total < 0 ? new ArgumentException("negative refund") : new InvalidOperationException("refund service down");
        _handled.AddOrUpdate(o.OrderId, 1, (_, n) => n + 1);
        _deliveries.Enqueue((o.OrderId, c.Attempt, new Dictionary<string, object?>(c.Headers)));
        return Task.CompletedTask;
    }), config);

    private async Task<IReadOnlyList<long>> DeadLetterAsync(ActorMqClient client, int count, Func<int, decimal>? total = null)
    {
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        for (var i = 1; i <= count; i++)
            await client.SendAsync(_queue, new OrderPlaced($"r-{i}", total?.Invoke(i) ?? i), new PublishOptions { MessageId = $"r-{i}" });
        var ids = new List<long>();
        for (var i = 0; i < count; i++) ids.Add((await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30)))).Id);
        Sys.EventStream.Unsubscribe(TestActor, typeof(MessageDeadLettered));
        return ids;
    }

    [Fact]
    public async Task Replay_one_first_then_the_rest_puts_each_message_back_once_and_marks_the_rows()
    {
        var client = await StartRefundsAsync();
        var ids = await DeadLetterAsync(client, 3);
        _broken = false; // the handler is "fixed"

        var first = await client.ReplayDeadLettersAsync(new DeadLetterFilter { Queue = _queue }, new ReplayOptions { Limit = 1 });
        var one = Assert.Single(first.Outcomes);
        Assert.True(one.Replayed);
        await AwaitConditionAsync(() => _handled.ContainsKey(one.MessageId!), Dilated(TimeSpan.FromSeconds(30)));
        Assert.Single(_handled);

        var rest = await client.ReplayDeadLettersAsync(DeadLetterFilter.All);
        Assert.Equal(2, rest.Replayed);
        await AwaitConditionAsync(() => _handled.Count == 3, Dilated(TimeSpan.FromSeconds(30)));
        Assert.All(_handled.Values, n => Assert.Equal(1, n));
        Assert.All(_deliveries, d => Assert.Equal(1, d.Attempt));
        foreach (var id in ids)
        {
            // The consumer reported each handled copy: the closed loop turns the rows resolved.
            await AwaitAssertAsync(async () => Assert.Equal(DeadLetterState.Resolved, (await client.DeadLetterStore.GetAsync(id))!.State),
                Dilated(TimeSpan.FromSeconds(30)));
            var row = await client.DeadLetterStore.GetAsync(id);
            Assert.Equal(1, row!.ReplayCount);
            Assert.NotNull(row.ReplayedAt);
            Assert.NotNull(row.ResolvedAt);
        }
        Assert.Empty((await client.ReplayDeadLettersAsync(DeadLetterFilter.All)).Outcomes); // nothing dead is left
    }

    [Fact]
    public async Task A_replayed_copy_that_fails_again_links_the_new_dead_letter_to_its_row_and_one_handled_later_resolves_it()
    {
        var client = await StartRefundsAsync();
        var ids = await DeadLetterAsync(client, 2);

        // Still broken: both copies die again, each as a new row that names the row it was replayed from.
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        Assert.Equal(2, (await client.ReplayDeadLettersAsync(DeadLetterFilter.ByIds(ids))).Replayed);
        var again = new[] { await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30))),
            await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30))) }.ToDictionary(d => d.MessageId!, d => d.Id);
        Sys.EventStream.Unsubscribe(TestActor, typeof(MessageDeadLettered));
        for (var i = 0; i < ids.Count; i++)
        {
            var old = (await client.DeadLetterStore.GetAsync(ids[i]))!;
            var newer = (await client.DeadLetterStore.GetAsync(again[old.Letter.MessageId!]))!;
            Assert.Equal(DeadLetterState.FailedAgain, old.State);
            Assert.Equal(newer.Id, old.FailedAgainId);
            Assert.Equal(old.Id, newer.ReplayedFrom);
            Assert.Equal(DeadLetterState.Dead, newer.State);
        }

        // Fixed: replaying the new rows resolves them; the first rows stay failed again, pointing at them.
        _broken = false;
        Assert.Equal(2, (await client.ReplayDeadLettersAsync(DeadLetterFilter.ByIds([.. again.Values]))).Replayed);
        foreach (var id in again.Values)
            await AwaitAssertAsync(async () => Assert.Equal(DeadLetterState.Resolved, (await client.DeadLetterStore.GetAsync(id))!.State),
                Dilated(TimeSpan.FromSeconds(30)));
        Assert.All(await Task.WhenAll(ids.Select(id => client.DeadLetterStore.GetAsync(id))), r => Assert.Equal(DeadLetterState.FailedAgain, r!.State));
    }

    [Fact]
    public async Task A_replayed_message_starts_its_attempts_afresh_and_carries_none_of_its_earlier_lifes_broker_headers()
    {
        // Three attempts through a retry tier: the dead letter carries the attempt header and the broker's x-death.
        var client = await StartRefundsAsync($"actormq.consumers.{_queue}.retry {{ delays = [100ms], max-attempts = 3 }}");
        var id = Assert.Single(await DeadLetterAsync(client, 1));
        var stored = (await client.DeadLetterStore.GetAsync(id))!.Letter;
        Assert.Equal(3, stored.Attempts);
        Assert.Contains("x-death", stored.Headers.Keys);
        _broken = false;

        Assert.Equal(1, (await client.ReplayDeadLettersAsync(new DeadLetterFilter { Ids = [id] })).Replayed);

        await AwaitConditionAsync(() => !_deliveries.IsEmpty, Dilated(TimeSpan.FromSeconds(30)));
        var (_, attempt, headers) = Assert.Single(_deliveries);
        Assert.Equal(1, attempt); // the attempt header was removed: its retries start afresh
        Assert.DoesNotContain("retry-count", headers.Keys);
        Assert.DoesNotContain(headers.Keys, key => key == "x-death" || key == "x-dotnet-pub-seq-no"
            || key.StartsWith("x-first-death-", StringComparison.Ordinal) || key.StartsWith("x-last-death-", StringComparison.Ordinal));
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(headers["replayed-from"]));
        Assert.Equal(await client.DeadLetterStore.GetIdAsync(), Text(headers["replayed-from-store"]));
        Assert.Equal(1, Convert.ToInt32(headers["replay-count"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("System.InvalidOperationException", Text(headers["error-type"])); // the failure headers stay: its history
    }

    private static string? Text(object? value) => value switch
    {
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        ReadOnlyMemory<byte> memory => System.Text.Encoding.UTF8.GetString(memory.Span),
        _ => value?.ToString(),
    };

    [Fact]
    public async Task Replay_by_error_type_leaves_the_other_rows_dead()
    {
        var client = await StartRefundsAsync();
        await DeadLetterAsync(client, 4, i => i % 2 == 0 ? -i : i);
        _broken = false;

        var result = await client.ReplayDeadLettersAsync(new DeadLetterFilter { ErrorType = typeof(ArgumentException).FullName });

        Assert.Equal(2, result.Replayed);
        await AwaitConditionAsync(() => _handled.Count == 2, Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(["r-2", "r-4"], _handled.Keys.Order());
        var page = await client.DeadLetterStore.ListAsync(new DeadLetterQuery { Limit = 10, Filter = new DeadLetterFilter { States = [DeadLetterState.Dead] } });
        Assert.Equal(2, page.Total);
        Assert.All(page.Items, r => Assert.Equal(typeof(InvalidOperationException).FullName, r.Letter.ErrorType));
    }

    [Fact]
    public async Task Two_replays_at_once_publish_each_row_exactly_once()
    {
        var client = await StartRefundsAsync();
        await DeadLetterAsync(client, 60);
        _broken = false;

        var replays = await Task.WhenAll(
            Task.Run(() => client.ReplayDeadLettersAsync(DeadLetterFilter.All, new ReplayOptions { BatchSize = 7, Claimant = "alice" })),
            Task.Run(() => client.ReplayDeadLettersAsync(DeadLetterFilter.All, new ReplayOptions { BatchSize = 5, Claimant = "bob" })));

        Assert.Equal(60, replays.Sum(r => r.Replayed));
        Assert.Empty(replays[0].Outcomes.Select(o => o.Id).Intersect(replays[1].Outcomes.Select(o => o.Id)));
        await AwaitConditionAsync(() => _handled.Count == 60, Dilated(TimeSpan.FromSeconds(30)));
        // Both replays returned after their confirms, so any second copy is on the broker by now: once the queue holds
        // nothing (ready or unacked) every copy was handled, and each id must have been handled once.
        await AwaitAssertAsync(async () => Assert.Equal(0, await Broker.CountMessagesAsync(_queue)), Dilated(TimeSpan.FromSeconds(30)));
        Assert.All(_handled.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task A_dead_store_outage_loses_nothing_the_deliveries_wait_on_the_broker()
    {
        var store = new SwitchableStore(new global::ActorMq.DeadStore.Sqlite.SqliteDeadLetterStoreProvider().Create(
            DeadStoreSettings.Create(ConfigurationFactory.ParseString($"actormq.dead-store.sqlite.path = \"{DeadStorePath}\"")
                .WithFallback(Sys.Settings.Config).WithFallback(ActorMqClient.DefaultConfig()))));
        store.Down = true;
        var client = await StartAsync(b => b.UseDeadLetterStore(store).AddHandler<OrderPlaced>(_queue, (_, _, _) => throw new InvalidOperationException("always")),
            "actormq.retry.requeue-backoff { min-backoff = 50ms, max-backoff = 200ms }");

        for (var i = 1; i <= 20; i++) await client.SendAsync(_queue, new OrderPlaced($"o-{i}", i), new PublishOptions { MessageId = $"o-{i}" });
        await AwaitConditionAsync(() => store.RefusedWrites >= 20, Dilated(TimeSpan.FromSeconds(30)));

        store.Down = false;
        await AwaitAssertAsync(async () =>
        {
            var page = await store.ListAsync(new DeadLetterQuery { Limit = 100 });
            Assert.Equal(20, page.Items.Select(r => r.Letter.MessageId).Distinct().Count());
        }, Dilated(TimeSpan.FromSeconds(30)));
        await AwaitAssertAsync(async () => Assert.Equal(0, await Broker.CountMessagesAsync(_queue)), Dilated(TimeSpan.FromSeconds(30)));
    }

    /// <summary>A real store that can be switched off, as a store outage is seen by ActorMq.</summary>
    private sealed class SwitchableStore(IDeadLetterStore inner) : IDeadLetterStore
    {
        private int _refused;

        public volatile bool Down;

        public int RefusedWrites => Volatile.Read(ref _refused);

        public string Name => "switchable " + inner.Name;

        public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

        public Task<string> GetIdAsync(CancellationToken cancellationToken = default) => inner.GetIdAsync(cancellationToken);

        public Task<int> MarkResolvedAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default) => inner.MarkResolvedAsync(ids, cancellationToken);

        public Task<long> AddAsync(DeadLetter letter, CancellationToken cancellationToken = default) => Guard(() => inner.AddAsync(letter, cancellationToken), 1);

        public Task<IReadOnlyList<long>> AddBatchAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken = default) =>
            Guard(() => inner.AddBatchAsync(letters, cancellationToken), letters.Count);

        public Task<DeadLetterRecord?> GetAsync(long id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

        public Task<DeadLetterPage> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken = default) => inner.ListAsync(query, cancellationToken);

        public Task<IReadOnlyList<DeadLetterCount>> CountAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default) => inner.CountAsync(filter, cancellationToken);

        public Task<IReadOnlyList<DeadLetterGroup>> GroupsAsync(DeadLetterFilter filter, int limit = 1000, CancellationToken cancellationToken = default) =>
            inner.GroupsAsync(filter, limit, cancellationToken);

        public Task<IReadOnlyList<DeadLetterRecord>> ClaimForReplayAsync(DeadLetterFilter filter, int limit, string claimant, CancellationToken cancellationToken = default) =>
            inner.ClaimForReplayAsync(filter, limit, claimant, cancellationToken);

        public Task<int> MarkReplayedAsync(IReadOnlyList<long> ids, string claimant, CancellationToken cancellationToken = default) => inner.MarkReplayedAsync(ids, claimant, cancellationToken);

        public Task<int> ReleaseClaimAsync(IReadOnlyList<long> ids, string claimant, string? error = null, CancellationToken cancellationToken = default) =>
            inner.ReleaseClaimAsync(ids, claimant, error, cancellationToken);

        public Task<int> DiscardAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default) => inner.DiscardAsync(filter, cancellationToken);

        public Task<int> PurgeAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default) => inner.PurgeAsync(filter, cancellationToken);

        public Task<int> IndexForSearchAsync(int maxRows, CancellationToken cancellationToken = default) => inner.IndexForSearchAsync(maxRows, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        private Task<T> Guard<T>(Func<Task<T>> call, int letters)
        {
            if (!Down) return call();
            Interlocked.Add(ref _refused, letters);
            return Task.FromException<T>(new DeadStoreException(Name, "write", "the store is switched off by the test"));
        }
    }
}
