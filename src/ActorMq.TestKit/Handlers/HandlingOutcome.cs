namespace ActorMq.TestKit.Handlers;

/// <summary>
/// What ActorMq would do with one delivery after the consumer's handler ran: ack it (<see cref="Handled"/>), publish a
/// copy to a retry tier (<see cref="Retried"/>), or write it to the dead store (<see cref="DeadLettered"/>).
/// </summary>
/// <param name="Consumer">The consumer's name.</param>
/// <param name="MessageId">The message id.</param>
/// <param name="Attempt">The attempt number it was handled with (1 on a first delivery).</param>
public abstract record HandlingOutcome(string Consumer, string? MessageId, int Attempt)
{
    /// <summary>The handler succeeded: the delivery would be acked.</summary>
    public sealed record Handled(string Consumer, string? MessageId, int Attempt) : HandlingOutcome(Consumer, MessageId, Attempt);

    /// <summary>The handler failed with attempts left: a copy would wait <paramref name="Delay"/> in <paramref name="TierQueue"/>.</summary>
    /// <param name="Consumer">The consumer's name.</param>
    /// <param name="MessageId">The message id.</param>
    /// <param name="Attempt">The attempt that failed.</param>
    /// <param name="Error">The failure.</param>
    /// <param name="TierQueue">The retry tier queue, e.g. <c>orders.retry.30s</c>.</param>
    /// <param name="Delay">The tier's delay.</param>
    public sealed record Retried(string Consumer, string? MessageId, int Attempt, Exception Error, string TierQueue, TimeSpan Delay)
        : HandlingOutcome(Consumer, MessageId, Attempt);

    /// <summary>The handler failed for good (last attempt, or a permanent failure): the message would go to the dead store.</summary>
    /// <param name="Consumer">The consumer's name.</param>
    /// <param name="MessageId">The message id.</param>
    /// <param name="Attempt">The attempt that failed.</param>
    /// <param name="Error">The failure.</param>
    /// <param name="Reason">Why it is not retried, as the dead letter records it.</param>
    public sealed record DeadLettered(string Consumer, string? MessageId, int Attempt, Exception Error, string Reason)
        : HandlingOutcome(Consumer, MessageId, Attempt);
}
