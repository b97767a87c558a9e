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

/// <summary>
/// What an operator changes in one dead letter before replaying it (<see cref="DeadLetterReplayer.ReplayEditedAsync"/>);
/// <see langword="null"/> keeps the stored value. The stored row itself is never changed.
/// </summary>
public sealed record DeadLetterEdit
{
    /// <summary>The body to publish instead of the stored one.</summary>
    public ReadOnlyMemory<byte>? Body { get; init; }

    /// <summary>
    /// The headers to publish instead of the stored ones (all of them: a header left out is removed), with their AMQP types
    /// as in <see cref="DeadLetter.Headers"/>. The replay's own headers are set on top, as for any replay.
    /// </summary>
    public IReadOnlyDictionary<string, object?>? Headers { get; init; }
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
/// <c>replayed-from-store</c> / <c>replay-count</c> headers added (the consumer reports back by them: see
/// <see cref="IDeadLetterStore.MarkResolvedAsync"/>), and marked <c>replayed</c> only after the confirm. A row whose publish fails
/// returns to <c>dead</c> with the error.
/// </summary>
public sealed partial class DeadLetterReplayer
{
    /// <summary>Header naming the dead-letter id a replayed copy came from.</summary>
    public const string ReplayedFromHeader = "replayed-from";

    /// <summary>Header naming the store (<see cref="IDeadLetterStore.GetIdAsync"/>) a replayed copy came from.</summary>
    public const string ReplayedFromStoreHeader = "replayed-from-store";

    /// <summary>Header counting how often the message was replayed.</summary>
    public const string ReplayCountHeader = "replay-count";

    private readonly IDeadLetterStore _store;
    private readonly Func<PublishRequest, Task<Published>> _publish;
    private readonly string _attemptHeader;
    private readonly ActorMqInstruments _instruments;
    private readonly IReadOnlySet<string> _connectionUsers;

    internal DeadLetterReplayer(IDeadLetterStore store, Func<PublishRequest, Task<Published>> publish, string attemptHeader, ActorMqInstruments instruments,
        IReadOnlySet<string> connectionUsers)
    {
        _connectionUsers = connectionUsers;
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
        var claimant = Claimant(options);
        var storeId = await _store.GetIdAsync(cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<long>();
        var claimed = 0;

        // A stream, not lock-step batches: rows are published as soon as they are claimed, with at most two batches'
        // worth unconfirmed (the window), so the publishers never run dry between batches; the next batch is claimed
        // while this one is published, and confirmed rows are marked replayed in batches as their confirms arrive. Store
        // calls start on the replay's own thread (a store may block its caller, as SQLite does), in the order asked for.
        using var lane = new StoreLane();
        Task<IReadOnlyList<DeadLetterRecord>>? Claim()
        {
            var take = options.Limit is { } max ? Math.Min(options.BatchSize, max - claimed) : options.BatchSize;
            if (take <= 0) return null;
            claimed += take;
            return lane.Run(() => _store.ClaimForReplayAsync(filter, take, claimant, cancellationToken));
        }

        var settler = new Settler(_store, lane, claimant, options.BatchSize);
        var window = new SemaphoreSlim(2 * options.BatchSize);
        var batches = new List<ReplayOutcome[]>();
        var publishes = new List<Task>();
        var next = Claim();
        try
        {
            while (next is not null)
            {
                var batch = await next.ConfigureAwait(false);
                // A row that failed to publish this run is dead again and could be claimed again: hand it back and stop there.
                var fresh = new List<DeadLetterRecord>(batch.Count);
                List<long>? again = null;
                foreach (var row in batch)
                {
                    if (seen.Add(row.Id)) fresh.Add(row);
                    else (again ??= []).Add(row.Id);
                }
                if (again is not null) settler.Release(again, error: null);
                claimed -= batch.Count - fresh.Count;
                next = fresh.Count == 0 || batch.Count < options.BatchSize ? null : Claim();
                if (fresh.Count == 0) break;

                var outcomes = new ReplayOutcome[fresh.Count];
                batches.Add(outcomes);
                for (var i = 0; i < fresh.Count; i++)
                {
                    await window.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                    publishes.Add(PublishAndSettleAsync(fresh[i], storeId, options.ToOriginalExchange, outcomes, i, settler, window));
                }
            }
        }
        finally
        {
            // Whatever happened to the claims, every publish started is seen through and settled (a publish never throws:
            // its failure is its row's outcome), and the confirmed rows are marked replayed before any error surfaces, so
            // no later replay publishes them again.
            await Task.WhenAll(publishes).ConfigureAwait(false);
            await settler.FlushAsync().ConfigureAwait(false);
        }
        return new ReplayResult(batches.SelectMany(b => b).ToList());
    }

    /// <summary>
    /// Replays one dead letter with its body and/or headers changed by <paramref name="edit"/>: the row is claimed like any
    /// replay (only a row in state dead), the edited copy is published and confirmed, and the row is marked replayed — its
    /// stored body and headers stay as they were. <see cref="ReplayOptions.Limit"/> and <see cref="ReplayOptions.BatchSize"/>
    /// do not apply.
    /// </summary>
    /// <returns>The outcome, or <see langword="null"/> when there is no row <paramref name="id"/> in state dead to claim.</returns>
    public async Task<ReplayOutcome?> ReplayEditedAsync(long id, DeadLetterEdit edit, ReplayOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        options ??= new ReplayOptions();
        var claimant = Claimant(options);
        var storeId = await _store.GetIdAsync(cancellationToken).ConfigureAwait(false);
        using var lane = new StoreLane();
        var claimed = await lane.Run(() => _store.ClaimForReplayAsync(DeadLetterFilter.ById(id), 1, claimant, cancellationToken)).ConfigureAwait(false);
        if (claimed is not [{ } row]) return null;
        var edited = row with
        {
            Letter = row.Letter with { Body = edit.Body ?? row.Letter.Body, Headers = edit.Headers ?? row.Letter.Headers },
        };
        var settler = new Settler(_store, lane, claimant, 1);
        var outcome = new ReplayOutcome[1];
        await PublishAndSettleAsync(edited, storeId, options.ToOriginalExchange, outcome, 0, settler, window: null).ConfigureAwait(false);
        await settler.FlushAsync().ConfigureAwait(false);
        return outcome[0];
    }

    private static string Claimant(ReplayOptions options) =>
        options.Claimant ?? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    private async Task PublishAndSettleAsync(DeadLetterRecord row, string storeId, bool toOriginalExchange, ReplayOutcome[] outcomes, int index,
        Settler settler, SemaphoreSlim? window)
    {
        try
        {
            string? error;
            try
            {
                error = await PublishAsync(row, storeId, toOriginalExchange).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Not a publish failure ActorMq knows (a stored property the client refuses, a bug): the row goes back to
                // dead with the error, like any failed publish, and the replay goes on.
                error = $"{e.GetType().FullName}: {e.Message}";
            }
            outcomes[index] = new ReplayOutcome(row.Id, row.Letter.MessageId, row.Letter.Queue, error is null, error);
            if (error is null) settler.Replayed(row.Id);
            else settler.Release([row.Id], error);
        }
        finally
        {
            window?.Release();
        }
    }

    /// <summary>
    /// Marks confirmed rows replayed (in batches) and returns failed ones to dead, one store call at a time, in order.
    /// A store failure ends the chain: <see cref="FlushAsync"/> throws it, and the rows it did not settle stay claimed
    /// until the claim goes stale, when a later replay takes them again.
    /// </summary>
    private sealed class Settler(IDeadLetterStore store, StoreLane lane, string claimant, int batchSize)
    {
        private readonly Lock _gate = new();
        private List<long> _replayed = new(batchSize);
        private Task _chain = Task.CompletedTask;

        public void Replayed(long id)
        {
            lock (_gate)
            {
                _replayed.Add(id);
                if (_replayed.Count >= batchSize) MarkPending();
            }
        }

        public void Release(List<long> ids, string? error)
        {
            lock (_gate) _chain = Then(_chain, () => store.ReleaseClaimAsync(ids, claimant, error, CancellationToken.None));
        }

        public Task FlushAsync()
        {
            lock (_gate)
            {
                if (_replayed.Count > 0) MarkPending();
                return _chain;
            }
        }

        private void MarkPending()
        {
            var ids = _replayed;
            _replayed = new List<long>(batchSize);
            _chain = Then(_chain, () => store.MarkReplayedAsync(ids, claimant, CancellationToken.None));
        }

        private async Task Then(Task previous, Func<Task<int>> next)
        {
            await previous.ConfigureAwait(false);
            await lane.Run(next).ConfigureAwait(false);
        }
    }

    /// <summary>Republishes one row; returns null once confirmed, or why it failed.</summary>
    private async Task<string?> PublishAsync(DeadLetterRecord row, string storeId, bool toOriginalExchange)
    {
        var letter = row.Letter;
        var headers = new Dictionary<string, object?>(letter.Headers, StringComparer.Ordinal);
        headers.Remove(_attemptHeader);
        // The broker's death history and the client's sequence number describe the message's earlier life: the row keeps
        // them, the replayed copy does not (RabbitMQ 3.13+ would ignore client-set death headers anyway).
        foreach (var key in headers.Keys.Where(MessageEnvelope.IsBookkeepingHeader).ToList()) headers.Remove(key);
        headers[ReplayedFromHeader] = row.Id.ToString(CultureInfo.InvariantCulture);
        headers[ReplayedFromStoreHeader] = storeId;
        headers[ReplayCountHeader] = row.ReplayCount + 1;
        var properties = MessageEnvelope.KeepOwnUserId(letter.Properties.ToBasicProperties(headers), _connectionUsers);
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
            return null;
        }
        catch (ActorMqException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            return e.Message;
        }
    }
}
