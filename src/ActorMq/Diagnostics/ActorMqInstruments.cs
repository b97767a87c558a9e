using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ActorMq.Diagnostics;

/// <summary>The names under which ActorMq publishes traces and metrics.</summary>
public static class ActorMqDiagnostics
{
    /// <summary>The <see cref="ActivitySource"/> name: spans for publish, process (handle), retry, dead-letter and replay.</summary>
    public const string ActivitySourceName = "ActorMq";

    /// <summary>The <see cref="Meter"/> name: counters, histograms and gauges listed in the README.</summary>
    public const string MeterName = "ActorMq";

    internal static readonly ActivitySource Source = new(ActivitySourceName, typeof(ActorMqDiagnostics).Assembly.GetName().Version?.ToString());
}

/// <summary>Totals since the client started; with per-queue totals. The admin page turns two snapshots into rates.</summary>
/// <param name="Published">Messages handed to a publisher.</param>
/// <param name="Confirmed">Messages the broker confirmed.</param>
/// <param name="Returned">Messages returned as unroutable.</param>
/// <param name="Consumed">Deliveries received.</param>
/// <param name="Handled">Deliveries a handler completed.</param>
/// <param name="Failed">Deliveries a handler failed.</param>
/// <param name="Retried">Failed deliveries put into a retry tier.</param>
/// <param name="DeadLettered">Deliveries committed to the dead store.</param>
/// <param name="Replayed">Dead letters replayed.</param>
/// <param name="InFlight">Deliveries in handlers plus messages awaiting their confirm, now.</param>
/// <param name="Buffered">Publish requests waiting in publisher buffers, now.</param>
/// <param name="Queues">Per-queue totals of consumed, handled, failed, retried and dead-lettered.</param>
/// <param name="At">When the snapshot was taken.</param>
public sealed record ActorMqStatistics(
    long Published, long Confirmed, long Returned, long Consumed, long Handled, long Failed, long Retried, long DeadLettered, long Replayed,
    long InFlight, long Buffered, IReadOnlyDictionary<string, QueueStatistics> Queues, DateTimeOffset At);

/// <summary>One queue's totals.</summary>
public sealed record QueueStatistics(long Consumed, long Handled, long Failed, long Retried, long DeadLettered);

/// <summary>
/// One client's instruments: a <see cref="Meter"/> named <c>ActorMq</c> (its counters tagged by queue or exchange) and the
/// totals behind <see cref="ActorMqStatistics"/>. Actors call it from their own threads; everything is thread-safe.
/// </summary>
internal sealed class ActorMqInstruments : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _published, _confirmed, _returned, _consumed, _handled, _failed, _retried, _deadLettered, _replayed;
    private readonly Histogram<double> _handleDuration, _confirmLatency;
    private readonly ConcurrentDictionary<string, QueueCounts> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Queue, Consuming.BreakerState State)> _breakers = new(StringComparer.Ordinal);
    private long _publishedTotal, _confirmedTotal, _returnedTotal, _replayedTotal, _inFlight, _buffered;

    public ActorMqInstruments(IMeterFactory? meterFactory = null)
    {
        var version = typeof(ActorMqInstruments).Assembly.GetName().Version?.ToString();
        _meter = meterFactory?.Create(ActorMqDiagnostics.MeterName, version) ?? new Meter(ActorMqDiagnostics.MeterName, version);
        _published = _meter.CreateCounter<long>("actormq.published", "{message}", "Messages handed to a publisher");
        _confirmed = _meter.CreateCounter<long>("actormq.confirmed", "{message}", "Messages confirmed by the broker");
        _returned = _meter.CreateCounter<long>("actormq.returned", "{message}", "Messages returned by the broker as unroutable");
        _consumed = _meter.CreateCounter<long>("actormq.consumed", "{message}", "Deliveries received");
        _handled = _meter.CreateCounter<long>("actormq.handled", "{message}", "Deliveries handled successfully");
        _failed = _meter.CreateCounter<long>("actormq.failed", "{message}", "Deliveries whose handler failed");
        _retried = _meter.CreateCounter<long>("actormq.retried", "{message}", "Failed deliveries put into a retry tier");
        _deadLettered = _meter.CreateCounter<long>("actormq.dead_lettered", "{message}", "Deliveries committed to the dead store");
        _replayed = _meter.CreateCounter<long>("actormq.replayed", "{message}", "Dead letters replayed");
        _handleDuration = _meter.CreateHistogram<double>("actormq.handle.duration", "ms", "Time a handler took");
        _confirmLatency = _meter.CreateHistogram<double>("actormq.confirm.latency", "ms", "Time from publish to the broker's confirm");
        _meter.CreateObservableGauge("actormq.in_flight", () => Volatile.Read(ref _inFlight), "{message}",
            "Deliveries in handlers plus messages awaiting their confirm");
        _meter.CreateObservableGauge("actormq.buffered", () => Volatile.Read(ref _buffered), "{message}",
            "Publish requests waiting in publisher buffers");
        _meter.CreateObservableGauge("actormq.consumer.breaker.state",
            () => _breakers.Select(kv => new Measurement<int>((int)kv.Value.State,
                new KeyValuePair<string, object?>("consumer", kv.Key), new KeyValuePair<string, object?>("queue", kv.Value.Queue))),
            "{state}", "Circuit breaker of each consumer that has one: 0 closed, 1 half-open, 2 open");
    }

    /// <summary>A consumer's breaker changed state (the gauge reports the latest).</summary>
    public void SetBreakerState(string consumer, string queue, Consuming.BreakerState state) => _breakers[consumer] = (queue, state);

    /// <summary>The meter (tests listen to this instance).</summary>
    public Meter Meter => _meter;

    public void Published(string exchange)
    {
        Interlocked.Increment(ref _publishedTotal);
        _published.Add(1, new KeyValuePair<string, object?>("exchange", exchange));
    }

    public void Confirmed(string exchange, TimeSpan latency)
    {
        Interlocked.Increment(ref _confirmedTotal);
        var tag = new KeyValuePair<string, object?>("exchange", exchange);
        _confirmed.Add(1, tag);
        _confirmLatency.Record(latency.TotalMilliseconds, tag);
    }

    public void Returned(string exchange)
    {
        Interlocked.Increment(ref _returnedTotal);
        _returned.Add(1, new KeyValuePair<string, object?>("exchange", exchange));
    }

    public void Consumed(string queue) => Count(_consumed, queue, q => Interlocked.Increment(ref q.Consumed));

    public void Handled(string queue, TimeSpan duration)
    {
        Count(_handled, queue, q => Interlocked.Increment(ref q.Handled));
        _handleDuration.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("queue", queue));
    }

    public void Failed(string queue, string errorType)
    {
        Interlocked.Increment(ref Queue(queue).Failed);
        _failed.Add(1, new KeyValuePair<string, object?>("queue", queue), new KeyValuePair<string, object?>("error.type", errorType));
    }

    public void Retried(string queue) => Count(_retried, queue, q => Interlocked.Increment(ref q.Retried));

    public void DeadLettered(string queue) => Count(_deadLettered, queue, q => Interlocked.Increment(ref q.DeadLettered));

    public void Replayed(string queue)
    {
        Interlocked.Increment(ref _replayedTotal);
        _replayed.Add(1, new KeyValuePair<string, object?>("queue", queue));
    }

    public void AddInFlight(long delta) => Interlocked.Add(ref _inFlight, delta);

    public void AddBuffered(long delta) => Interlocked.Add(ref _buffered, delta);

    public ActorMqStatistics Snapshot(DateTimeOffset now)
    {
        var queues = _queues.ToDictionary(kv => kv.Key, kv => kv.Value.Snapshot(), StringComparer.Ordinal);
        return new ActorMqStatistics(
            Volatile.Read(ref _publishedTotal), Volatile.Read(ref _confirmedTotal), Volatile.Read(ref _returnedTotal),
            queues.Values.Sum(q => q.Consumed), queues.Values.Sum(q => q.Handled), queues.Values.Sum(q => q.Failed),
            queues.Values.Sum(q => q.Retried), queues.Values.Sum(q => q.DeadLettered), Volatile.Read(ref _replayedTotal),
            Volatile.Read(ref _inFlight), Volatile.Read(ref _buffered), queues, now);
    }

    public void Dispose() => _meter.Dispose();

    private void Count(Counter<long> counter, string queue, Action<QueueCounts> total)
    {
        total(Queue(queue));
        counter.Add(1, new KeyValuePair<string, object?>("queue", queue));
    }

    private QueueCounts Queue(string queue) => _queues.GetOrAdd(queue, _ => new QueueCounts());

    private sealed class QueueCounts
    {
        public long Consumed, Handled, Failed, Retried, DeadLettered;

        public QueueStatistics Snapshot() => new(Volatile.Read(ref Consumed), Volatile.Read(ref Handled), Volatile.Read(ref Failed),
            Volatile.Read(ref Retried), Volatile.Read(ref DeadLettered));
    }
}
