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
/// quorum queue's delivery limit. The schema is created or migrated before the first write. Runs on the
/// dispatcher named in <c>actormq.dead-store.dispatcher</c> (a dedicated thread: the SQLite store blocks).
/// Child of <see cref="ActorMqActor"/>.
/// </summary>
internal sealed class DeadStoreActor : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IDeadLetterStore _store;
    private readonly int _maxBatch;
    private readonly Diagnostics.ActorMqInstruments _instruments;
    private readonly List<StoreDeadLetter> _pending = [];
    private bool _writing;
    private bool _initialized;

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
        Receive<Written>(Handle);
        Receive<WriteFailed>(Handle);
    }

    public static Props Props(IDeadLetterStore store, int maxBatch, string dispatcher, Diagnostics.ActorMqInstruments instruments) =>
        Akka.Actor.Props.Create(() => new DeadStoreActor(store, maxBatch, instruments)).WithDispatcher(dispatcher);

    private void WriteNext()
    {
        if (_writing || _pending.Count == 0) return;
        var batch = _pending.Take(_maxBatch).ToList();
        _pending.RemoveRange(0, batch.Count);
        _writing = true;
        WriteAsync(batch).PipeTo(Self, success: ids => new Written(batch, ids), failure: e => new WriteFailed(batch, e));
    }

    private async Task<IReadOnlyList<long>> WriteAsync(IReadOnlyList<StoreDeadLetter> batch)
    {
        if (!_initialized)
        {
            await _store.InitializeAsync().ConfigureAwait(false);
            _initialized = true;
        }
        return await _store.AddBatchAsync(batch.Select(b => b.Letter).ToList()).ConfigureAwait(false);
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

    private sealed record Written(IReadOnlyList<StoreDeadLetter> Batch, IReadOnlyList<long> Ids);

    private sealed record WriteFailed(IReadOnlyList<StoreDeadLetter> Batch, Exception Error);
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
