using System.Collections.Concurrent;
using ActorMq.DeadStore;
using ActorMq.Retry;

namespace ActorMq.Cli.Demo;

/// <summary>A moment of the demo, for the progress view.</summary>
internal sealed record DemoSnapshot(
    string Phase, TimeSpan Elapsed, int Orders, long Published, long Handled, IReadOnlyList<(string Tier, long Waiting)> Tiers,
    long DeadLettered, long Poison, long Exhausted, long Replayed, long HandledAfterReplay, long Stale,
    Diagnostics.ActorMqStatistics? Statistics, IReadOnlyList<string> Recent)
{
    /// <summary>The line printed per interval when the output is not a terminal.</summary>
    public string PlainLine() =>
        $"[{Elapsed:mm\\:ss}] {Phase}: published {Published}/{Orders}, handled {Handled}, retrying {Tiers.Sum(t => t.Waiting)} (" +
        string.Join(", ", Tiers.Select(t => $"{t.Tier}: {t.Waiting}")) +
        $"), dead-lettered {DeadLettered} (bad payload {Poison}, retries exhausted {Exhausted}), replayed {Replayed}, handled after replay {HandledAfterReplay}";
}

/// <summary>
/// What happened so far, counted from the handler, the producers, the event stream (<see cref="MessageRetried"/>,
/// <see cref="MessageDeadLettered"/>) and the replays. Thread-safe: every caller runs on its own thread.
/// </summary>
internal sealed class DemoProgress
{
    private const int RecentEvents = 6;

    private readonly OrderPlan _plan;
    private readonly IReadOnlyList<TimeSpan> _delays;
    private readonly long[] _enteredTier;
    private readonly long[] _leftTier;
    private readonly ConcurrentDictionary<string, int> _handled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _handledAfterReplay = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MessageDeadLettered> _deadLettered = new(StringComparer.Ordinal);
    private readonly Queue<string> _recent = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private long _published, _retried, _replayed, _stale;
    private string _phase = "starting";

    public DemoProgress(OrderPlan plan, IReadOnlyList<TimeSpan> delays)
    {
        _plan = plan;
        _delays = delays;
        _enteredTier = new long[delays.Count];
        _leftTier = new long[delays.Count];
    }

    /// <summary>Orders handled successfully (each counted once, however often it was delivered).</summary>
    public int HandledCount => _handled.Count;

    /// <summary>Orders handled successfully after their replay.</summary>
    public int HandledAfterReplayCount => _handledAfterReplay.Count;

    /// <summary>Orders dead-lettered.</summary>
    public IReadOnlyDictionary<string, MessageDeadLettered> DeadLettered => _deadLettered;

    /// <summary>The ids of the orders handled successfully.</summary>
    public ICollection<string> HandledOrders => _handled.Keys;

    /// <summary>Orders handled more than once successfully (at-least-once delivery made visible), by id.</summary>
    public IEnumerable<string> HandledTwice => _handled.Where(h => h.Value > 1).Select(h => h.Key);

    /// <summary>Retry copies of this run's orders confirmed in the tiers.</summary>
    public long Retried => Interlocked.Read(ref _retried);

    /// <summary>Retry copies waiting in the tiers now.</summary>
    public long Waiting => Enumerable.Range(0, _delays.Count).Sum(i => Math.Max(0, Interlocked.Read(ref _enteredTier[i]) - Interlocked.Read(ref _leftTier[i])));

    /// <summary>The current phase, shown at the top of the view.</summary>
    public string Phase
    {
        get => Volatile.Read(ref _phase);
        set => Volatile.Write(ref _phase, value);
    }

    /// <summary>A producer's order was confirmed by the broker.</summary>
    public void Published() => Interlocked.Increment(ref _published);

    /// <summary>A message of an earlier run was ignored.</summary>
    public void Stale() => Interlocked.Increment(ref _stale);

    /// <summary>The handler got a message with this attempt number (2 and up: it left a retry tier).</summary>
    public void Received(int attempt)
    {
        if (attempt >= 2) Interlocked.Increment(ref _leftTier[Tier(attempt)]);
    }

    /// <summary>The handler succeeded.</summary>
    public void Handled(string orderId, bool replayed)
    {
        _handled.AddOrUpdate(orderId, 1, (_, n) => n + 1);
        if (replayed)
        {
            _handledAfterReplay.AddOrUpdate(orderId, 1, (_, n) => n + 1);
            Note($"{orderId} handled after its replay");
        }
    }

    /// <summary>A retry copy was confirmed in its tier.</summary>
    public void OnRetried(MessageRetried retried)
    {
        ArgumentNullException.ThrowIfNull(retried);
        if (_plan.Find(retried.MessageId) is null) return;
        Interlocked.Increment(ref _retried);
        Interlocked.Increment(ref _enteredTier[Tier(retried.NextAttempt)]);
        Note($"{retried.MessageId} failed ({ShortType(retried.ErrorType)}), attempt {retried.NextAttempt} in {DelayText(retried.Delay)} via {retried.TierQueue}");
    }

    /// <summary>A message was committed to the dead store.</summary>
    public void OnDeadLettered(MessageDeadLettered dead)
    {
        ArgumentNullException.ThrowIfNull(dead);
        if (dead.MessageId is null || _plan.Find(dead.MessageId) is null) return;
        _deadLettered[dead.MessageId] = dead;
        Note($"{dead.MessageId} dead-lettered as #{dead.Id} after {dead.Attempts} {(dead.Attempts == 1 ? "attempt" : "attempts")} ({ShortType(dead.ErrorType)})");
    }

    /// <summary>Dead letters were replayed.</summary>
    public void OnReplayed(ReplayResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Interlocked.Add(ref _replayed, result.Replayed);
        foreach (var outcome in result.Outcomes)
            Note(outcome.Replayed ? $"#{outcome.Id} ({outcome.MessageId}) replayed to {outcome.Queue}" : $"#{outcome.Id} replay FAILED: {outcome.Error}");
    }

    /// <summary>The numbers now.</summary>
    public DemoSnapshot Snapshot(Diagnostics.ActorMqStatistics? statistics)
    {
        string[] recent;
        lock (_recent) recent = [.. _recent];
        var dead = _deadLettered.Values.ToList();
        var poison = dead.Count(d => d.ErrorType == typeof(PermanentFailureException).FullName);
        return new DemoSnapshot(Phase, _clock.Elapsed, _plan.Orders.Count, Interlocked.Read(ref _published), _handled.Count,
            [.. _delays.Select((d, i) => (DelayText(d), Math.Max(0, Interlocked.Read(ref _enteredTier[i]) - Interlocked.Read(ref _leftTier[i]))))],
            dead.Count, poison, dead.Count - poison, Interlocked.Read(ref _replayed), _handledAfterReplay.Count, Interlocked.Read(ref _stale),
            statistics, recent);
    }

    /// <summary>A delay as the tier names show it: <c>1s</c>, <c>1500ms</c>, <c>2m</c>.</summary>
    public static string DelayText(TimeSpan delay) =>
        delay.TotalMilliseconds % 60_000 == 0 && delay >= TimeSpan.FromMinutes(1) ? $"{delay.TotalMinutes:0}m"
        : delay.TotalMilliseconds % 1000 == 0 ? $"{delay.TotalSeconds:0}s"
        : $"{delay.TotalMilliseconds:0}ms";

    private int Tier(int attempt) => Math.Clamp(attempt - 2, 0, _delays.Count - 1);

    private static string ShortType(string type) => type[(type.LastIndexOf('.') + 1)..];

    private void Note(string line)
    {
        lock (_recent)
        {
            _recent.Enqueue($"{_clock.Elapsed:mm\\:ss} {line}");
            while (_recent.Count > RecentEvents) _recent.Dequeue();
        }
    }
}
