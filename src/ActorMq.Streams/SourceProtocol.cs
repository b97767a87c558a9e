using ActorMq.Consuming;
using Akka.Actor;

namespace ActorMq.Streams;

/// <summary>How an element asked to be settled.</summary>
internal enum SettleKind
{
    Ack,
    Fail,
    Reject,
    Requeue,
}

/// <summary>
/// One element's settle request, element → <see cref="CommittableConsumerActor"/>. Completed exactly once, by the actor
/// (once the outcome is durable and the ack written) or by <see cref="SourceHandle.Close"/> (the consumer stopped).
/// </summary>
internal sealed class Settlement(Delivery delivery, SettleKind kind, Exception? error, TimeSpan elapsed = default)
{
    public Delivery Delivery { get; } = delivery;

    public SettleKind Kind { get; } = kind;

    public Exception? Error { get; } = error;

    /// <summary>From the element's push downstream to this settle request (the breaker's <c>call-timeout</c>).</summary>
    public TimeSpan Elapsed { get; } = elapsed;

    /// <summary>What the request reports once its ack (or nack) is written; set by the actor before it writes.</summary>
    public SettleOutcome Outcome { get; set; } = SettleOutcome.Acked;

    public TaskCompletionSource<SettleOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>An element the stage shall emit (a <see cref="CommittableDelivery{T}"/>), actor → stage.</summary>
internal sealed record Emit(ICommittableElement Element);

/// <summary>The channel of <paramref name="Generation"/> is gone, actor → stage: drop its buffered elements (the broker redelivers them).</summary>
internal sealed record ChannelGone(long Generation);

/// <summary>Stop consuming, control → actor → stage: the stage completes and hands back its buffered elements.</summary>
internal sealed record StopConsuming
{
    public static StopConsuming Instance { get; } = new();
}

/// <summary>The circuit breaker opened, actor → stage: hand back the elements not emitted yet (<see cref="BufferReturned"/>), the actor holds them.</summary>
internal sealed record ReturnBuffered
{
    public static ReturnBuffered Instance { get; } = new();
}

/// <summary>The elements the stage had not emitted, stage → actor, in reply to <see cref="ReturnBuffered"/>.</summary>
internal sealed record BufferReturned(IReadOnlyList<Delivery> Deliveries);

/// <summary>The stage completes its outlet, actor → stage.</summary>
internal sealed record CompleteStream
{
    public static CompleteStream Instance { get; } = new();
}

/// <summary>The stage stopped (completed, cancelled by downstream, failed), stage → actor, with the elements it never emitted.</summary>
internal sealed record StreamFinished(IReadOnlyList<Delivery> Unemitted);

/// <summary>Flush the acks, close the channel (what is unsettled is redelivered) and stop, control → actor.</summary>
internal sealed record ShutdownConsumer
{
    public static ShutdownConsumer Instance { get; } = new();
}

/// <summary>What the stage knows of an element: the delivery it carries.</summary>
internal interface ICommittableElement
{
    Delivery Delivery { get; }
}

/// <summary>
/// What a source's elements and its control share with the consumer actor: the actor's reference, the settle requests
/// not yet completed, and whether the consumer has stopped. Once closed, every pending and later settle completes with
/// <see cref="SettleOutcome.WillBeRedelivered"/>, so no settle task waits forever on a stopped actor.
/// </summary>
internal sealed class SourceHandle(string consumer, string queue)
{
    private readonly object _lock = new();
    private readonly HashSet<Settlement> _pending = [];
    private readonly TaskCompletionSource<IActorRef> _actor = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _closed;

    public string Consumer { get; } = consumer;

    public string Queue { get; } = queue;

    /// <summary>The consumer actor, once the stage started it.</summary>
    public Task<IActorRef> Actor => _actor.Task;

    /// <summary>Completes when the consumer actor has stopped (its channel closed).</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Called once when the consumer has stopped (the source leaves its client's <see cref="SourceRegistry"/>).</summary>
    public Action? OnClosed { get; set; }

    public void Started(IActorRef actor) => _actor.TrySetResult(actor);

    public Task<SettleOutcome> Submit(Settlement settlement)
    {
        lock (_lock)
        {
            if (_closed || !_actor.Task.IsCompletedSuccessfully) return Task.FromResult(SettleOutcome.WillBeRedelivered);
            _pending.Add(settlement);
        }
        _actor.Task.Result.Tell(settlement, ActorRefs.NoSender);
        return settlement.Completion.Task;
    }

    public void Complete(Settlement settlement, SettleOutcome outcome)
    {
        settlement.Completion.TrySetResult(outcome);
        lock (_lock) _pending.Remove(settlement);
    }

    /// <summary>The actor stopped: every settle not completed yet reports that its delivery will be redelivered.</summary>
    public void Close()
    {
        List<Settlement> left;
        lock (_lock)
        {
            _closed = true;
            left = [.. _pending];
            _pending.Clear();
        }
        foreach (var settlement in left) settlement.Completion.TrySetResult(SettleOutcome.WillBeRedelivered);
        _actor.TrySetCanceled();
        if (_stopped.TrySetResult()) OnClosed?.Invoke();
    }
}
