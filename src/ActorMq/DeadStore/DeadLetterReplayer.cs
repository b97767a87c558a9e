using System.Diagnostics;
using System.Globalization;
using ActorMq.Diagnostics;
using ActorMq.Publishing;
using ActorMq.Retry;
using RabbitMQ.Client;

namespace ActorMq.DeadStore;

/// <summary>How a replay runs.</summary>
public sealed record ReplayOptions
{
    /// <summary>Republish to the message's original exchange and routing key instead of straight to the queue it failed in
    /// (in a fanout, that reaches every consumer group again, not only the one that failed).</summary>
    public bool ToOriginalExchange { get; init; }

    /// <summary>Replay at most this many rows (1 = "replay one, watch it, then the rest"); null = every matching row.</summary>
    public int? Limit { get; init; }

    /// <summary>Rows claimed, published and marked per round. At least 1.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Who replays (recorded as the claimant, e.g. an operator's name); null = this process.</summary>
    public string? Claimant { get; init; }
}

/// <summary>What one replayed row became.</summary>
/// <param name="Id">The dead letter's id.</param>
/// <param name="MessageId">Its message id.</param>
/// <param name="Queue">The queue it failed in.</param>
/// <param name="Replayed">True when the broker confirmed the republished copy and the row is marked replayed.</param>
/// <param name="Error">Why publishing failed (the row is back in state dead), or null.</param>
public sealed record ReplayOutcome(long Id, string? MessageId, string Queue, bool Replayed, string? Error);

/// <summary>A replay's result.</summary>
/// <param name="Outcomes">One per row claimed, in claim order.</param>
public sealed record ReplayResult(IReadOnlyList<ReplayOutcome> Outcomes)
{
    /// <summary>Rows replayed.</summary>
    public int Replayed => Outcomes.Count(o => o.Replayed);

    /// <summary>Rows whose publish failed (back to dead).</summary>
    public int Failed => Outcomes.Count(o => !o.Replayed);
}

/// <summary>
/// Puts dead letters back on the broker. Rows matching a filter are claimed (<c>dead → replaying</c>, in a transaction,
/// so two replays at once never publish the same row), republished with publisher confirms straight to the queue they
/// failed in (default exchange, routing key = that queue) or, when asked, to their original exchange and routing key,
/// with the attempt header removed (a replayed message starts its retries afresh) and <c>replayed-from</c> /
/// <c>replay-count</c> headers added, and marked <c>replayed</c> only after the confirm. A row whose publish fails
/// returns to <c>dead</c> with the error.
/// </summary>
public sealed class DeadLetterReplayer
{
    /// <summary>Header naming the dead-letter id a replayed copy came from.</summary>
    public const string ReplayedFromHeader = "replayed-from";

    /// <summary>Header counting how often the message was replayed.</summary>
    public const string ReplayCountHeader = "replay-count";

    private readonly IDeadLetterStore _store;
    private readonly Func<PublishRequest, Task<Published>> _publish;
    private readonly string _attemptHeader;
    private readonly ActorMqInstruments _instruments;

    internal DeadLetterReplayer(IDeadLetterStore store, Func<PublishRequest, Task<Published>> publish, string attemptHeader, ActorMqInstruments instruments)
    {
        _instruments = instruments;
        _store = store;
        _publish = publish;
        _attemptHeader = attemptHeader;
    }

    /// <summary>Replays the rows matching <paramref name="filter"/> (only rows in state dead are ever claimed).</summary>
    public async Task<ReplayResult> ReplayAsync(DeadLetterFilter filter, ReplayOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        options ??= new ReplayOptions();
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "BatchSize must be at least 1");
        if (options.Limit is < 1) throw new ArgumentOutOfRangeException(nameof(options), "Limit must be at least 1 (or null for all)");
        var claimant = options.Claimant ?? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        var outcomes = new List<ReplayOutcome>();
        var seen = new HashSet<long>();
        var claimed = 0;

        // A pipeline: the next batch is claimed, and the previous one marked, while this one is being published (a store
        // may block its caller, as SQLite does, so store calls run on the thread pool). Claims never overlap rows.
        Task<IReadOnlyList<DeadLetterRecord>>? Claim()
        {
            var take = options.Limit is { } max ? Math.Min(options.BatchSize, max - claimed) : options.BatchSize;
            if (take <= 0) return null;
            claimed += take;
            return Task.Run(() => _store.ClaimForReplayAsync(filter, take, claimant, cancellationToken), cancellationToken);
        }

        var next = Claim();
        // Batches in flight: each one's publishes are under way, then its rows are marked (or released) on the confirms.
        var inFlight = new Queue<Task<(DeadLetterRecord Row, string? Error)[]>>();
        void Collect((DeadLetterRecord Row, string? Error)[] published) =>
            outcomes.AddRange(published.Select(p => new ReplayOutcome(p.Row.Id, p.Row.Letter.MessageId, p.Row.Letter.Queue, p.Error is null, p.Error)));

        while (next is not null)
        {
            var batch = await next.ConfigureAwait(false);
            // A row that failed to publish this run is dead again and could be claimed again: hand it back and stop there.
            var fresh = batch.Where(r => seen.Add(r.Id)).ToList();
            var again = batch.Where(r => !fresh.Contains(r)).Select(r => r.Id).ToList();
            if (again.Count > 0) await _store.ReleaseClaimAsync(again, claimant, null, CancellationToken.None).ConfigureAwait(false);
            claimed -= batch.Count - fresh.Count;
            next = fresh.Count == 0 || batch.Count < options.BatchSize ? null : Claim();
            if (fresh.Count == 0) break;

            var publishes = fresh.Select(row => PublishAsync(row, options.ToOriginalExchange)).ToArray();
            inFlight.Enqueue(Task.Run(async () =>
            {
                var published = await Task.WhenAll(publishes).ConfigureAwait(false);
                await SettleAsync(published, claimant).ConfigureAwait(false);
                return published;
            }, CancellationToken.None));
            // Keep the publishers fed with the next batch while this one's confirms arrive, but no more than two batches.
            while (inFlight.Count > 1) Collect(await inFlight.Dequeue().ConfigureAwait(false));
        }
        while (inFlight.Count > 0) Collect(await inFlight.Dequeue().ConfigureAwait(false));
        return new ReplayResult(outcomes);
    }

    /// <summary>Marks the confirmed rows replayed and returns the failed ones to dead, with their errors.</summary>
    private async Task SettleAsync(IReadOnlyList<(DeadLetterRecord Row, string? Error)> published, string claimant)
    {
        var succeeded = published.Where(p => p.Error is null).Select(p => p.Row.Id).ToList();
        if (succeeded.Count > 0) await _store.MarkReplayedAsync(succeeded, claimant, CancellationToken.None).ConfigureAwait(false);
        foreach (var failure in published.Where(p => p.Error is not null))
            await _store.ReleaseClaimAsync([failure.Row.Id], claimant, failure.Error, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<(DeadLetterRecord Row, string? Error)> PublishAsync(DeadLetterRecord row, bool toOriginalExchange)
    {
        var letter = row.Letter;
        var headers = new Dictionary<string, object?>(letter.Headers, StringComparer.Ordinal);
        headers.Remove(_attemptHeader);
        headers[ReplayedFromHeader] = row.Id.ToString(CultureInfo.InvariantCulture);
        headers[ReplayCountHeader] = row.ReplayCount + 1;
        var properties = letter.Properties.ToBasicProperties(headers);
        properties.Persistent = true;
        if (string.IsNullOrEmpty(properties.MessageId)) properties.MessageId = letter.MessageId ?? MessageEnvelope.NewMessageId();
        var (exchange, routingKey) = toOriginalExchange
            ? (letter.Exchange, letter.RoutingKey)
            : ("", letter.Queue);
        // A new trace for the replayed message, linked to the trace of its first life (its stored traceparent): the replay
        // span's context becomes the message's traceparent.
        var original = MessageEnvelope.ExtractTraceContext(headers);
        using var activity = ActorMqDiagnostics.Source.StartActivity($"{letter.Queue} replay", ActivityKind.Producer, parentContext: default,
            links: original == default ? null : [new ActivityLink(original)]);
        if (activity is not null)
        {
            activity.SetTag("messaging.system", "rabbitmq");
            activity.SetTag("messaging.destination.name", routingKey);
            activity.SetTag("messaging.message.id", letter.MessageId);
            activity.SetTag("actormq.dead_letter.id", row.Id);
            headers[MessageEnvelope.TraceParentHeader] = activity.Id;
            headers.Remove(MessageEnvelope.TraceStateHeader);
        }
        try
        {
            await _publish(new PublishRequest(exchange, routingKey, letter.Body, properties, Mandatory: true, null,
                new TaskCompletionSource<Published>(TaskCreationOptions.RunContinuationsAsynchronously))).ConfigureAwait(false);
            _instruments.Replayed(letter.Queue);
            return (row, null);
        }
        catch (ActorMqException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            return (row, e.Message);
        }
    }
}
