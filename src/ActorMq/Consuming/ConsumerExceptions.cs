namespace ActorMq.Consuming;

/// <summary>A handler did not finish within its consumer's <c>handler-timeout</c>; its token was cancelled. Retryable.</summary>
public sealed class HandlerTimeoutException : ActorMqException
{
    /// <summary>Creates the exception for consumer <paramref name="consumer"/>'s message <paramref name="messageId"/>.</summary>
    public HandlerTimeoutException(string consumer, string? messageId, TimeSpan timeout, Exception? innerException = null)
        : base($"the handler of consumer '{consumer}' did not finish message '{messageId ?? "(no id)"}' within {timeout.TotalMilliseconds:0} ms " +
               $"(actormq.consumers.{consumer}.handler-timeout)", innerException)
    {
        Consumer = consumer;
        Timeout = timeout;
    }

    /// <summary>The consumer's name.</summary>
    public string Consumer { get; }

    /// <summary>The timeout that elapsed.</summary>
    public TimeSpan Timeout { get; }
}

/// <summary>The broker cancelled a consumer (its queue was deleted, or the queue's node went down). The consumer restarts with backoff.</summary>
public sealed class ConsumerCancelledException(string consumer, string queue)
    : ActorMqException($"the broker cancelled consumer '{consumer}' on queue '{queue}' (queue deleted or its node down); restarting with backoff")
{
    /// <summary>The queue.</summary>
    public string Queue { get; } = queue;
}

/// <summary>A consumer's channel was closed by the broker (e.g. 404 on a deleted queue, 406 on a bad ack). The consumer restarts with backoff.</summary>
public sealed class ChannelClosedException(string queue, string reason, Exception? innerException = null)
    : ActorMqException($"the channel consuming queue '{queue}' closed: {reason}", innerException)
{
    /// <summary>The queue.</summary>
    public string Queue { get; } = queue;
}

/// <summary>
/// The broker dead-lettered a message from a work queue into its parked queue (<c>actormq.topology.parked-queue-pattern</c>)
/// — a quorum queue's delivery limit reached, a reject without requeue, an overflow or a TTL set by policy — and ActorMq
/// moved it into the dead store with this error, instead of the broker dropping it. Replay puts it back on its queue.
/// </summary>
public sealed class BrokerDeadLetteredException(string queue, string reason, long count)
    : PermanentFailureException($"the broker dead-lettered the message from queue '{queue}' (reason {reason}, {count} time(s)); " +
        "ActorMq kept it in the dead store instead of letting it be dropped")
{
    /// <summary>The work queue it was dead-lettered from.</summary>
    public string Queue { get; } = queue;

    /// <summary>The broker's reason: <c>delivery_limit</c>, <c>rejected</c>, <c>maxlen</c>, <c>expired</c>, or <c>unknown</c>.</summary>
    public string Reason { get; } = reason;

    /// <summary>How many times the broker dead-lettered it from that queue for that reason (<c>x-death</c> count).</summary>
    public long Count { get; } = count;
}
