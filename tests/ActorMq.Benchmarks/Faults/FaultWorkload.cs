using System.Collections.Concurrent;
using System.Diagnostics;
using ActorMq.Connection;
using ActorMq.Consuming;
using ActorMq.DeadStore;
using Akka.Actor;
using Akka.Configuration;

namespace ActorMq.Benchmarks.Faults;

/// <summary>What one scenario runs against: the queue's type and limits, the dead store, the link settings.</summary>
internal sealed record WorkloadOptions(string Queue, IReadOnlyList<string> Uris, string DeadStoreHocon)
{
    public const int Prefetch = 100;
    public const int MaxInFlight = 100;

    public string QueueType { get; init; } = "classic";

    public int DeliveryLimit { get; init; } = 1000;

    /// <summary>Every n-th message fails permanently (dead store at once); 0 = none.</summary>
    public int PermanentEvery { get; init; }

    public string ExtraHocon { get; init; } = "";
}

/// <summary>
/// One scenario's traffic through ActorMq: an <see cref="ActorMqClient"/> publishing messages with unique ids (with
/// confirms) to a consumer whose handler fails every tenth message once (it comes back through the 1 s retry tier) and,
/// where asked, every n-th permanently (dead store). An id counts as handled when the handler returned successfully;
/// the counts are read only after everything settled, with the dead store's rows by message id, so an ack lost with the
/// link shows as a second handling.
/// </summary>
internal sealed class FaultWorkload : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _handled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _confirmed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _failedOnce = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _cancelled = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(DateTimeOffset At, object Event)> _events = new();
    private readonly List<Task> _publishes = [];
    private readonly WorkloadOptions _options;
    private readonly BenchActorSystem _lease;
    private int _publishFailures;
    private string? _firstPublishFailure;

    private FaultWorkload(WorkloadOptions options, BenchActorSystem lease)
    {
        _options = options;
        _lease = lease;
    }

    public ActorMqClient Client { get; private set; } = null!;

    public int Published => _publishes.Count;

    public int Confirmed => _confirmed.Count;

    public int PublishFailures => _publishFailures;

    public string? FirstPublishFailure => _firstPublishFailure;

    public static async Task<FaultWorkload> StartAsync(WorkloadOptions options)
    {
        var lease = BenchActorSystem.Create("faults", Config(options));
        var workload = new FaultWorkload(options, lease);
        var events = workload._events;
        var recorder = lease.System.ActorOf(Props.Create(() => new EventRecorderActor(events)), "fault-events");
        lease.System.EventStream.Subscribe(recorder, typeof(LinkStateChanged));
        lease.System.EventStream.Subscribe(recorder, typeof(ConsumerStateChanged));
        workload.Client = await ActorMqClient.StartAsync(lease.System, configure: b => b.AddHandler<byte[]>(options.Queue, workload.HandleAsync))
            .ConfigureAwait(false);
        await workload.Client.WaitUntilReadyAsync().ConfigureAwait(false);
        await workload.Client.DeadLetterStore.InitializeAsync().ConfigureAwait(false); // the rows are read at the end even when none was written
        return workload;
    }

    /// <summary>Publishes one message every <paramref name="interval"/> until <paramref name="stop"/> is cancelled (not awaiting each confirm).</summary>
    public async Task PublishUntilAsync(string prefix, TimeSpan interval, CancellationToken stop)
    {
        using var pace = new PeriodicTimer(interval);
        var body = new byte[256];
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var id = $"{prefix}-{i}";
            _publishes.Add(PublishOneAsync(id, body));
            try
            {
                await pace.WaitForNextTickAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Waits for every publish's outcome (the confirm, or a failure).</summary>
    public Task AllPublishesSettledAsync() => Task.WhenAll(_publishes);

    private async Task PublishOneAsync(string id, byte[] body)
    {
        try
        {
            await Client.SendAsync(_options.Queue, body, new PublishOptions { MessageId = id }).ConfigureAwait(false);
            _confirmed.TryAdd(id, 0);
        }
        catch (ActorMqException e)
        {
            if (Interlocked.Increment(ref _publishFailures) == 1) _firstPublishFailure = $"{e.GetType().Name}: {e.Message}";
        }
    }

    private async Task HandleAsync(byte[] body, MessageContext context, CancellationToken cancellationToken)
    {
        var id = context.MessageId!;
        var n = int.Parse(id[(id.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            await Task.Delay(2, cancellationToken).ConfigureAwait(false); // some work, so deliveries are in flight when the fault hits
        }
        catch (OperationCanceledException)
        {
            _cancelled.TryAdd(id, 0); // the consumer stopped its handlers (a restart): the delivery stays unacked
            throw;
        }
        if (_options.PermanentEvery > 0 && n % _options.PermanentEvery == _options.PermanentEvery - 1)
            throw new PermanentFailureException($"message {id} is refused for good");
        if (n % 10 == 0 && context.Attempt == 1)
        {
            _failedOnce.TryAdd(id, 0);
            throw new InvalidOperationException($"message {id} fails its first attempt");
        }
        _handled.AddOrUpdate(id, 1, (_, count) => count + 1); // only once the handler has succeeded
    }

    /// <summary>
    /// Waits until the link is connected and every consumer consumes (polled), then answers when that became so: the latest
    /// <see cref="LinkStateChanged"/> to Connected or <see cref="ConsumerStateChanged"/> to consuming after
    /// <paramref name="faultEnded"/> — or <paramref name="faultEnded"/> itself when nothing had to recover. Null on timeout.
    /// </summary>
    public async Task<double?> RecoveredSecondsAsync(DateTimeOffset faultEnded, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await IsUpAsync().ConfigureAwait(false))
            {
                var last = _events.Where(e => e.At >= faultEnded && e.Event is LinkStateChanged { State: LinkState.Connected } or ConsumerStateChanged { Consuming: true })
                    .Select(e => e.At).DefaultIfEmpty(faultEnded).Max();
                return (last - faultEnded).TotalSeconds;
            }
            await Task.Delay(50).ConfigureAwait(false);
        }
        return null;
    }

    public async Task<bool> IsUpAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var link = await Client.GetLinkStateAsync(cts.Token).ConfigureAwait(false);
            if (link.State != LinkState.Connected) return false;
            var consumers = await Client.GetConsumersAsync(cts.Token).ConfigureAwait(false);
            return consumers.Count > 0 && consumers.All(c => c.Consuming);
        }
        catch (Exception e) when (e is OperationCanceledException or AskTimeoutException)
        {
            return false;
        }
    }

    /// <summary>The link events recorded so far, for the notes.</summary>
    public IEnumerable<(DateTimeOffset At, object Event)> Events => _events;

    /// <summary>
    /// Waits until every confirmed id is handled or dead-lettered, the queue and its tiers are empty and the consumers idle —
    /// or, when some ids never come, until that has been so and nothing changed for 10 s (bounded by <paramref name="timeout"/>).
    /// </summary>
    public async Task<TimeSpan> SettleAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var quietSince = clock.Elapsed;
        var lastProgress = -1L;
        while (clock.Elapsed < timeout)
        {
            await Task.Delay(500).ConfigureAwait(false);
            var progress = _handled.Values.Sum() + Client.GetStatistics().DeadLettered;
            if (progress != lastProgress)
            {
                lastProgress = progress;
                quietSince = clock.Elapsed;
            }
            if (!await IsIdleAsync().ConfigureAwait(false)) continue;
            HashSet<string> dead;
            try
            {
                dead = await DeadLetteredIdsAsync().ConfigureAwait(false);
            }
            catch (DeadStoreException)
            {
                continue;
            }
            if (_confirmed.Keys.All(id => _handled.ContainsKey(id) || dead.Contains(id))) return clock.Elapsed;
            if (clock.Elapsed - quietSince > TimeSpan.FromSeconds(10)) return clock.Elapsed;
        }
        return clock.Elapsed;
    }

    private async Task<bool> IsIdleAsync()
    {
        if (!await IsUpAsync().ConfigureAwait(false)) return false;
        try
        {
            var depths = await Client.GetQueueDepthsAsync().ConfigureAwait(false);
            var consumers = await Client.GetConsumersAsync().ConfigureAwait(false);
            return depths.Count > 0 && depths.All(d => d.Messages == 0) && consumers.All(c => c.InFlight == 0 && c.Waiting == 0);
        }
        catch (Exception e) when (e is OperationCanceledException or AskTimeoutException)
        {
            return false;
        }
    }

    /// <summary>The counts, after <see cref="SettleAsync"/>.</summary>
    public async Task<(int Lost, int Duplicates, int Handled, int DeadLettered)> CountAsync()
    {
        var dead = await DeadLetteredIdsAsync().ConfigureAwait(false);
        var lost = _confirmed.Keys.Count(id => !_handled.ContainsKey(id) && !dead.Contains(id));
        var duplicates = _handled.Count(h => h.Value > 1) + _handled.Keys.Count(dead.Contains);
        return (lost, duplicates, _handled.Count, dead.Count);
    }

    /// <summary>Of <paramref name="lost"/>: how many failed their first attempt (a retry copy was made), and how many of the others had a handler cancelled by a consumer restart.</summary>
    public (int FailedOnce, int Cancelled) Explain(IReadOnlyList<string> lost) =>
        (lost.Count(_failedOnce.ContainsKey), lost.Count(id => !_failedOnce.ContainsKey(id) && _cancelled.ContainsKey(id)));

    /// <summary>The confirmed ids neither handled nor dead-lettered (for the notes).</summary>
    public async Task<IReadOnlyList<string>> LostIdsAsync()
    {
        var dead = await DeadLetteredIdsAsync().ConfigureAwait(false);
        return _confirmed.Keys.Where(id => !_handled.ContainsKey(id) && !dead.Contains(id)).Order(StringComparer.Ordinal).ToList();
    }

    private async Task<HashSet<string>> DeadLetteredIdsAsync()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        long? after = null;
        while (true)
        {
            var page = await Client.DeadLetterStore.ListAsync(new DeadLetterQuery
            {
                Limit = 1000, AfterId = after, Filter = new DeadLetterFilter { Queue = _options.Queue },
            }).ConfigureAwait(false);
            foreach (var record in page.Items)
                if (record.Letter.MessageId is { } id) ids.Add(id);
            if (page.Items.Count < 1000) return ids;
            after = page.Items[^1].Id;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await Client.StopAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The system's termination below ends what is left.
        }
        await _lease.DisposeAsync().ConfigureAwait(false);
    }

    private static Config Config(WorkloadOptions o) => ConfigurationFactory.ParseString($$"""
        actormq {
          connection.uris = [{{string.Join(", ", o.Uris.Select(u => $"\"{u}\""))}}]
          publisher.max-in-flight = {{WorkloadOptions.MaxInFlight}}
          consumers."{{o.Queue}}" {
            queue-type = {{o.QueueType}}
            delivery-limit = {{o.DeliveryLimit}}
            prefetch = {{WorkloadOptions.Prefetch}}
            concurrency = 8
            retry { delays = [1s], max-attempts = 3 }
          }
          retry.requeue-backoff { min-backoff = 200ms, max-backoff = 2s }
          {{o.DeadStoreHocon}}
        }
        akka.loglevel = {{LogLevel}}
        {{o.ExtraHocon}}
        """);

    /// <summary>Akka's log level in the harness: ERROR (the handler's planned failures log warnings); ACTORMQ_FAULTS_LOGLEVEL=WARNING shows the link's story.</summary>
    private static string LogLevel => System.Environment.GetEnvironmentVariable("ACTORMQ_FAULTS_LOGLEVEL") is { Length: > 0 } level ? level : "ERROR";

    /// <summary>Keeps the link and consumer events with the time they arrived.</summary>
    private sealed class EventRecorderActor : ReceiveActor
    {
        public EventRecorderActor(ConcurrentQueue<(DateTimeOffset At, object Event)> events) =>
            ReceiveAny(e => events.Enqueue((DateTimeOffset.UtcNow, e)));
    }
}
