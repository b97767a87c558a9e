using Akka.Actor;
using Akka.Event;
using ActorMq.Consuming;

namespace ActorMq.DeadStore;

/// <summary>
/// Writes dead letters (<see cref="StoreDeadLetter"/> from the RetryActor) to the <see cref="IDeadLetterStore"/> and only
/// after the commit tells the consumer <see cref="FailureSettled"/>, so the original delivery is acked. Letters that
/// arrive while a write runs are written together in one transaction (batching). If the store is unavailable the
/// consumer gets <see cref="FailureNotSettled"/>: it holds the delivery unacked and settles it again after
/// <c>retry.requeue-backoff</c>, so the letter is written once the store is back — nothing is lost and no requeue spends a
/// quorum queue's delivery limit. The schema is created or migrated before the first write.
/// <para>
/// It also closes the replay loop: consumers report each handled replayed copy (<see cref="ReplayedCopyHandled"/>), and the
/// reports for this store are recorded in batches (<see cref="IDeadLetterStore.MarkResolvedAsync"/>) between writes of dead
/// letters, which go first. A failed batch is kept and tried again after <see cref="ResolveRetryDelay"/>; at most
/// <see cref="MaxPendingResolved"/> reports wait (beyond that the oldest are dropped with a warning: the messages were
/// handled, only their rows' "resolved" label is lost).
/// </para>
/// Runs on the dispatcher named in <c>actormq.dead-store.dispatcher</c> (a dedicated thread: the SQLite store blocks).
/// Child of <see cref="ActorMqActor"/>.
/// </summary>
internal sealed class DeadStoreActor : ReceiveActor, IWithTimers
{
    /// <summary>At most this many resolved reports are recorded in one statement.</summary>
    private const int ResolveBatch = 1000;

    internal const int MaxPendingResolved = 100_000;

    internal static readonly TimeSpan ResolveRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>Rows indexed for search in one store call while there is nothing to write (a write waits at most that long).</summary>
    internal const int IndexBatch = 1000;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IDeadLetterStore _store;
    private readonly int _maxBatch;
    private readonly Diagnostics.ActorMqInstruments _instruments;
    private readonly List<StoreDeadLetter> _pending = [];
    private readonly Queue<ReplayedCopyHandled> _resolved = new();
    private bool _writing;
    private bool _initialized;
    private bool _resolveBackingOff;
    private bool _unindexed;
    private string? _storeId;

    public DeadStoreActor(IDeadLetterStore store, int maxBatch, Diagnostics.ActorMqInstruments instruments)
    {
        _instruments = instruments;
        _store = store;
        _maxBatch = maxBatch;
        Receive<StoreDeadLetter>(s =>
        {
            _pending.Add(s);
            WriteNext();
        });
        Receive<ReplayedCopyHandled>(Handle);
        Receive<Written>(Handle);
        Receive<WriteFailed>(Handle);
        Receive<ResolvedWritten>(Handle);
        Receive<ResolveFailed>(Handle);
        Receive<RetryResolve>(_ =>
        {
            _resolveBackingOff = false;
            WriteNext();
        });
        Receive<Indexed>(Handle);
        Receive<IndexFailed>(Handle);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IDeadLetterStore store, int maxBatch, string dispatcher, Diagnostics.ActorMqInstruments instruments) =>
        Akka.Actor.Props.Create(() => new DeadStoreActor(store, maxBatch, instruments)).WithDispatcher(dispatcher);

    private void WriteNext()
    {
        if (_writing) return;
        if (_pending.Count > 0)
        {
            var batch = _pending.Take(_maxBatch).ToList();
            _pending.RemoveRange(0, batch.Count);
            _writing = true;
            WriteAsync(batch).PipeTo(Self, success: ids => new Written(batch, ids), failure: e => new WriteFailed(batch, e));
        }
        else if (_resolved.Count > 0 && !_resolveBackingOff)
        {
            var batch = new List<ReplayedCopyHandled>(Math.Min(_resolved.Count, ResolveBatch));
            while (batch.Count < ResolveBatch && _resolved.TryDequeue(out var report)) batch.Add(report);
            _writing = true;
            ResolveAsync(batch).PipeTo(Self, success: n => new ResolvedWritten(batch.Count, n), failure: e => new ResolveFailed(batch, e));
        }
        else if (_unindexed)
        {
            // Nothing to write: index what was written for search (a query with a search would do it otherwise, and wait).
            _writing = true;
            _store.IndexForSearchAsync(IndexBatch).PipeTo(Self, success: n => new Indexed(n), failure: e => new IndexFailed(e));
        }
    }

    private async Task InitializeAsync()
    {
        if (_initialized) return;
        await _store.InitializeAsync().ConfigureAwait(false);
        _storeId = await _store.GetIdAsync().ConfigureAwait(false);
        _initialized = true;
    }

    private async Task<IReadOnlyList<long>> WriteAsync(IReadOnlyList<StoreDeadLetter> batch)
    {
        await InitializeAsync().ConfigureAwait(false);
        return await _store.AddBatchAsync(batch.Select(b => b.Letter).ToList()).ConfigureAwait(false);
    }

    /// <summary>Records the reports for this store; reports for another store (a copy replayed elsewhere) are not this store's to record.</summary>
    private async Task<int> ResolveAsync(IReadOnlyList<ReplayedCopyHandled> batch)
    {
        await InitializeAsync().ConfigureAwait(false);
        var ids = batch.Where(r => r.Store == _storeId).Select(r => r.Id).Distinct().ToList();
        return ids.Count == 0 ? 0 : await _store.MarkResolvedAsync(ids).ConfigureAwait(false);
    }

    private void Handle(ReplayedCopyHandled handled)
    {
        if (_resolved.Count >= MaxPendingResolved)
        {
            _resolved.Dequeue();
            Log.ResolvedReportDropped(_log, _store.Name, MaxPendingResolved);
        }
        _resolved.Enqueue(handled);
        WriteNext();
    }

    private void Handle(Written written)
    {
        _writing = false;
        for (var i = 0; i < written.Batch.Count; i++)
        {
            var item = written.Batch[i];
            Log.DeadLettered(_log, item.Consumer, item.Letter.MessageId, item.Letter.Queue, written.Ids[i], item.Reason);
            _instruments.DeadLettered(item.Letter.Queue);
            Context.System.EventStream.Publish(new MessageDeadLettered(item.Consumer, item.Letter.Queue, item.Letter.MessageId, written.Ids[i],
                item.Letter.ErrorType, item.Letter.ErrorMessage, item.Letter.Attempts));
            item.ReplyTo.Tell(new FailureSettled(item.Delivery, $"dead letter #{written.Ids[i]}"));
        }
        _unindexed = true;
        WriteNext();
    }

    private void Handle(WriteFailed failed)
    {
        _writing = false;
        Log.DeadStoreWriteFailed(_log, failed.Error, _store.Name, failed.Batch.Count);
        var error = failed.Error as DeadStoreException ?? new DeadStoreException(_store.Name, "write", $"writing {failed.Batch.Count} dead letters failed: {failed.Error.Message}", failed.Error);
        foreach (var item in failed.Batch) item.ReplyTo.Tell(new FailureNotSettled(item.Delivery, error));
        WriteNext();
    }

    private void Handle(ResolvedWritten written)
    {
        _writing = false;
        Log.ReplaysResolved(_log, _store.Name, written.Reports, written.Resolved);
        WriteNext();
    }

    private void Handle(ResolveFailed failed)
    {
        _writing = false;
        Log.ResolveFailed(_log, failed.Error, _store.Name, failed.Batch.Count, ResolveRetryDelay);
        // Back at the front, in their order, before the reports that came since; the oldest go if that is too many.
        var all = failed.Batch.Concat(_resolved).ToList();
        _resolved.Clear();
        foreach (var report in all.Skip(Math.Max(0, all.Count - MaxPendingResolved))) _resolved.Enqueue(report);
        _resolveBackingOff = true;
        Timers.StartSingleTimer(nameof(RetryResolve), RetryResolve.Instance, ResolveRetryDelay);
        WriteNext();
    }

    private void Handle(Indexed indexed)
    {
        _writing = false;
        _unindexed = indexed.Rows == IndexBatch;
        WriteNext();
    }

    private void Handle(IndexFailed failed)
    {
        // Not a loss: the rows are stored, and the next search indexes them; the next write tries again.
        _writing = false;
        _unindexed = false;
        Log.SearchIndexFailed(_log, failed.Error, _store.Name);
        WriteNext();
    }

    private sealed record Indexed(int Rows);

    private sealed record IndexFailed(Exception Error);

    private sealed record Written(IReadOnlyList<StoreDeadLetter> Batch, IReadOnlyList<long> Ids);

    private sealed record WriteFailed(IReadOnlyList<StoreDeadLetter> Batch, Exception Error);

    private sealed record ResolvedWritten(int Reports, int Resolved);

    private sealed record ResolveFailed(IReadOnlyList<ReplayedCopyHandled> Batch, Exception Error);

    private sealed class RetryResolve
    {
        public static readonly RetryResolve Instance = new();
    }
}

/// <summary>RetryActor → DeadStoreActor: commit this dead letter, then tell <paramref name="ReplyTo"/> (the consumer) to ack.</summary>
internal sealed record StoreDeadLetter(string Consumer, DeadLetter Letter, Delivery Delivery, string Reason, IActorRef ReplyTo);

/// <summary>Published on the event stream once a dead letter is committed to the store.</summary>
/// <param name="Consumer">The consumer.</param>
/// <param name="Queue">The queue the message failed in.</param>
/// <param name="MessageId">The message id.</param>
/// <param name="Id">The dead letter's id in the store.</param>
/// <param name="ErrorType">The last failure's exception type.</param>
/// <param name="ErrorMessage">The last failure's message.</param>
/// <param name="Attempts">Handlings in all.</param>
public sealed record MessageDeadLettered(string Consumer, string Queue, string? MessageId, long Id, string ErrorType, string ErrorMessage, int Attempts);
