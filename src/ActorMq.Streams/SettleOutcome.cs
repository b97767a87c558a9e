namespace ActorMq.Streams;

/// <summary>What settling a <see cref="CommittableDelivery{T}"/> did.</summary>
public enum SettleOutcome
{
    /// <summary>The delivery was acked (<see cref="CommittableDelivery{T}.AckAsync"/>): the ack is written to its channel.</summary>
    Acked,

    /// <summary>The failure's retry copy was confirmed in the next retry tier, then the delivery was acked.</summary>
    Retried,

    /// <summary>The dead letter was committed to the dead store (no attempts left, or a permanent failure), then the delivery was acked.</summary>
    DeadLettered,

    /// <summary>The delivery went back to the broker (nack with requeue): rejected without <c>permanent</c>, or its failure could not be made durable.</summary>
    Requeued,

    /// <summary>
    /// Nothing was settled: the channel the delivery came from is gone (connection loss, broker restart, shutdown), so
    /// the broker redelivers it. Expect to see the message again.
    /// </summary>
    WillBeRedelivered,

    /// <summary>
    /// The consumer's circuit breaker (<c>circuit-breaker.enabled = on</c>) is open, or this failure opened it: the failure
    /// was not sent to the retry tiers and no attempt was counted. The delivery stays unacked with the source, which emits it
    /// again as a new element once a probe shows the downstream works (or gives it back to the queue after <c>max-hold</c>).
    /// </summary>
    HeldByBreaker,
}
