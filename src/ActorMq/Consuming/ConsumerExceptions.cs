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
