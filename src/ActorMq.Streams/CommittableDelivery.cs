using ActorMq.Consuming;

namespace ActorMq.Streams;

/// <summary>
/// One delivery from <see cref="ActorMqSource.Committable{T}"/>: the deserialized message, its context, and the way to
/// settle it — exactly once — with <see cref="AckAsync"/>, <see cref="FailAsync"/> or <see cref="RejectAsync"/>. Until it
/// is settled the delivery counts against the consumer's <c>prefetch</c>. Settling a second time throws
/// <see cref="DeliveryAlreadySettledException"/>. Each settle completes with its <see cref="SettleOutcome"/>; a delivery
/// whose channel is gone (connection loss, broker restart) reports <see cref="SettleOutcome.WillBeRedelivered"/>: the broker
/// redelivers it, nothing is acked on a channel that cannot ack it.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
public sealed class CommittableDelivery<T> : ICommittableElement
{
    private readonly SourceHandle _handle;
    private readonly Delivery _delivery;
    private string? _settledWith;
    private long _pushedAt;

    internal CommittableDelivery(T message, MessageContext context, SourceHandle handle, Delivery delivery)
    {
        Message = message;
        Context = context;
        _handle = handle;
        _delivery = delivery;
    }

    /// <summary>The deserialized message.</summary>
    public T Message { get; }

    /// <summary>The delivery's context: queue, consumer, body, properties, headers, message id, attempt.</summary>
    public MessageContext Context { get; }

    /// <summary>True once one of the settle methods was called.</summary>
    public bool IsSettled => Volatile.Read(ref _settledWith) is not null;

    Delivery ICommittableElement.Delivery => _delivery;

    /// <summary>The stage pushed the element downstream: its handling starts (the breaker's <c>call-timeout</c> counts from here).</summary>
    internal void Pushed() => Volatile.Write(ref _pushedAt, System.Diagnostics.Stopwatch.GetTimestamp());

    /// <summary>
    /// Acks the delivery. Acks are coalesced exactly with <c>multiple</c> (every <c>ack-batch-size</c> settles, when no
    /// delivery is left unsettled, and at least every <c>ack-flush-interval</c>); the task completes when the ack is
    /// written: <see cref="SettleOutcome.Acked"/>, or <see cref="SettleOutcome.WillBeRedelivered"/> when its channel is gone.
    /// Settle many deliveries at once (<c>SelectAsync(parallelism, d =&gt; d.AckAsync())</c> or
    /// <see cref="ActorMqCommitter.Sink{T}"/>) to reach the consume ceiling.
    /// </summary>
    /// <exception cref="DeliveryAlreadySettledException">The delivery was settled before.</exception>
    public Task<SettleOutcome> AckAsync() => Settle(SettleKind.Ack, null, "AckAsync()");

    /// <summary>
    /// Fails the delivery through the consumer's retry policy, as a failed handler does: a copy goes to the next retry tier
    /// (<c>&lt;queue&gt;.retry.&lt;delay&gt;</c>) or, with no attempts left or a permanent failure, to the dead store; the
    /// delivery is acked only once that is durable (<see cref="SettleOutcome.Retried"/>, <see cref="SettleOutcome.DeadLettered"/>).
    /// If it cannot be made durable the delivery is requeued after a backoff (<see cref="SettleOutcome.Requeued"/>).
    /// With the consumer's circuit breaker on, a failure counts toward it (a <see cref="DownstreamUnavailableException"/>
    /// opens it at once; permanent failures never count): it waits unacked until the next success shows the downstream works,
    /// then goes the ordinary way; if the breaker opens instead, the failure goes to no retry tier and reports
    /// <see cref="SettleOutcome.HeldByBreaker"/> — the source emits the delivery again when the breaker closes.
    /// </summary>
    /// <param name="error">What failed; its type decides permanence (<c>permanent-exceptions</c>, <see cref="PermanentFailureException"/>).</param>
    /// <exception cref="DeliveryAlreadySettledException">The delivery was settled before.</exception>
    public Task<SettleOutcome> FailAsync(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Settle(SettleKind.Fail, error, $"FailAsync({error.GetType().Name})");
    }

    /// <summary>
    /// Rejects the delivery. <paramref name="permanent"/>: it goes straight to the dead store, skipping the retry tiers, and is
    /// acked once the dead letter is committed (<see cref="SettleOutcome.DeadLettered"/>, error
    /// <see cref="DeliveryRejectedException"/>). Otherwise it is given back to the broker at once (nack with requeue,
    /// <see cref="SettleOutcome.Requeued"/>; on a quorum queue this counts toward <c>x-delivery-limit</c>).
    /// </summary>
    /// <param name="permanent">Dead-letter it (true) or requeue it (false).</param>
    /// <param name="reason">Why, recorded as the dead letter's error message.</param>
    /// <exception cref="DeliveryAlreadySettledException">The delivery was settled before.</exception>
    public Task<SettleOutcome> RejectAsync(bool permanent, string? reason = null) => permanent
        ? Settle(SettleKind.Reject, new DeliveryRejectedException(Context.Queue, Context.MessageId, reason), "RejectAsync(permanent: true)")
        : Settle(SettleKind.Requeue, null, "RejectAsync(permanent: false)");

    private Task<SettleOutcome> Settle(SettleKind kind, Exception? error, string how)
    {
        if (Interlocked.CompareExchange(ref _settledWith, how, null) is { } first)
            throw new DeliveryAlreadySettledException(Context.Queue, Context.MessageId, _delivery.DeliveryTag, first, how);
        var pushedAt = Volatile.Read(ref _pushedAt);
        var elapsed = pushedAt == 0 ? TimeSpan.Zero : System.Diagnostics.Stopwatch.GetElapsedTime(pushedAt);
        return _handle.Submit(new Settlement(_delivery, kind, error, elapsed));
    }

    /// <inheritdoc />
    public override string ToString() => $"CommittableDelivery({Context.Queue}, message {Context.MessageId}, tag {_delivery.DeliveryTag})";
}
