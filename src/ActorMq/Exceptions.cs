namespace ActorMq;

/// <summary>
/// A failure that retrying cannot fix: the message skips the retry tiers and goes straight to the
/// dead store. Throw it (or a subclass) from a handler to mark a failure permanent.
/// </summary>
public class PermanentFailureException : ActorMqException
{
    /// <summary>Creates a permanent failure with a message that names what was wrong.</summary>
    public PermanentFailureException(string message) : base(message) { }

    /// <summary>Creates a permanent failure with a message and the failure that caused it.</summary>
    public PermanentFailureException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>
/// The service behind a handler is unavailable: throw it from a handler (or reply it as <c>Status.Failure</c> from a handler
/// actor) to open the consumer's circuit breaker at once (<c>circuit-breaker.enabled = on</c>). The message is held and
/// handled again once a probe succeeds; it is neither retried through the tiers nor dead-lettered. Without a breaker it is an
/// ordinary failure.
/// </summary>
public sealed class DownstreamUnavailableException : ActorMqException
{
    /// <summary>Creates the exception naming what is unavailable.</summary>
    public DownstreamUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception naming what is unavailable, with the failure that showed it.</summary>
    public DownstreamUnavailableException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>A published message was not accepted by the broker; names where it was published. Catch this for any publish failure.</summary>
public abstract class PublishFailureException : ActorMqException
{
    /// <summary>Creates the exception for a message published to <paramref name="exchange"/> with <paramref name="routingKey"/>.</summary>
    protected PublishFailureException(string exchange, string routingKey, string problem)
        : base($"message published to exchange '{(exchange.Length == 0 ? "(default)" : exchange)}' with routing key '{routingKey}' {problem}")
    {
        Exchange = exchange;
        RoutingKey = routingKey;
    }

    /// <summary>The exchange the message was published to (empty for the default exchange).</summary>
    public string Exchange { get; }

    /// <summary>The routing key the message was published with.</summary>
    public string RoutingKey { get; }
}

/// <summary>
/// The broker returned a mandatory message because no queue was bound to receive it
/// (basic.return, usually <c>312 NO_ROUTE</c>).
/// </summary>
public sealed class PublishReturnedException : PublishFailureException
{
    /// <summary>Creates the exception for a message returned from <paramref name="exchange"/>.</summary>
    public PublishReturnedException(string exchange, string routingKey, ushort replyCode, string replyText)
        : base(exchange, routingKey, $"was returned by the broker as unroutable: {replyCode} {replyText}")
    {
        ReplyCode = replyCode;
        ReplyText = replyText;
    }

    /// <summary>The broker's reply code, e.g. 312.</summary>
    public ushort ReplyCode { get; }

    /// <summary>The broker's reply text, e.g. <c>NO_ROUTE</c>.</summary>
    public string ReplyText { get; }
}

/// <summary>The broker negatively confirmed (basic.nack) a published message: it did not take responsibility for it.</summary>
public sealed class PublishNackedException : PublishFailureException
{
    /// <summary>Creates the exception for a message nacked by the broker.</summary>
    public PublishNackedException(string exchange, string routingKey)
        : base(exchange, routingKey, "was refused (nacked) by the broker") { }
}

/// <summary>The broker did not confirm a published message within <c>actormq.publisher.confirm-timeout</c>.</summary>
public sealed class PublishConfirmTimeoutException : PublishFailureException
{
    /// <summary>Creates the exception for a confirm that did not arrive within <paramref name="timeout"/>.</summary>
    public PublishConfirmTimeoutException(string exchange, string routingKey, TimeSpan timeout)
        : base(exchange, routingKey, $"got no publisher confirm within {timeout.TotalMilliseconds:0} ms (actormq.publisher.confirm-timeout)") =>
        Timeout = timeout;

    /// <summary>How long ActorMq waited for the confirm.</summary>
    public TimeSpan Timeout { get; }
}

/// <summary>
/// The broker refused the publish and closed the channel over it: the exchange does not exist (404), the user may not
/// write to it (403), or the message breaks a rule (406: a <c>user_id</c> that is not the connection's user, a body over
/// the broker's size limit). Sending it again cannot help; the broker's reply code and text say what to fix.
/// </summary>
public sealed class PublishRefusedException : PublishFailureException
{
    /// <summary>Creates the exception for a message refused by the broker with <paramref name="replyCode"/>.</summary>
    public PublishRefusedException(string exchange, string routingKey, ushort replyCode, string replyText)
        : base(exchange, routingKey, $"was refused by the broker: {replyCode} {replyText}")
    {
        ReplyCode = replyCode;
        ReplyText = replyText;
    }

    /// <summary>The broker's reply code: 403, 404 or 406.</summary>
    public ushort ReplyCode { get; }

    /// <summary>The broker's reply text, e.g. <c>NOT_FOUND - no exchange 'orders' in vhost '/'</c>.</summary>
    public string ReplyText { get; }
}

/// <summary>
/// The publisher's bounded buffer is full (the link is down or the broker blocked publishers):
/// the request is refused instead of growing memory without bound. Retry later.
/// </summary>
public sealed class BackPressureException : ActorMqException
{
    /// <summary>Creates the exception; <paramref name="reason"/> says why publishing is held (e.g. "connection blocked: low on memory").</summary>
    public BackPressureException(string reason, int bufferSize)
        : base($"publish refused: {bufferSize} requests are already buffered (actormq.publisher.buffer-size) while {reason}")
    {
        Reason = reason;
        BufferSize = bufferSize;
    }

    /// <summary>Why publishing is held.</summary>
    public string Reason { get; }

    /// <summary>The configured buffer bound that was reached.</summary>
    public int BufferSize { get; }
}

/// <summary>
/// Nothing can be published now, and waiting would not help: ActorMq is stopped (or stopping), or its broker link
/// <c>Failed</c> (the outage exceeded <c>actormq.connection.max-outage</c>, or the broker refused access). The message
/// says which, with the link's reason.
/// </summary>
public sealed class PublishUnavailableException : ActorMqException
{
    /// <summary>Creates the exception saying why nothing can be published.</summary>
    public PublishUnavailableException(string message) : base(message) { }
}

/// <summary>
/// A declaration conflicts with what already exists on the broker (PRECONDITION_FAILED, 406),
/// e.g. a queue declared <c>quorum</c> that exists as <c>classic</c>. Names the queue (or exchange)
/// and the differing argument.
/// </summary>
public sealed class TopologyMismatchException : ActorMqException
{
    /// <summary>Creates the exception from the parts of the broker's reply.</summary>
    public TopologyMismatchException(string kind, string name, string? argument, string? received, string? current, string replyText)
        : base(argument is null
            ? $"declaring {kind} '{name}' conflicts with the existing {kind}: {replyText}"
            : $"declaring {kind} '{name}' conflicts with the existing {kind}: argument '{argument}' is {current ?? "none"} on the broker but ActorMq declares {received ?? "none"} (delete the {kind} or change the configuration to match). Broker said: {replyText}")
    {
        Kind = kind;
        Name = name;
        Argument = argument;
        Received = received;
        Current = current;
        ReplyText = replyText;
    }

    /// <summary><c>queue</c> or <c>exchange</c>.</summary>
    public string Kind { get; }

    /// <summary>The queue or exchange name.</summary>
    public string Name { get; }

    /// <summary>The differing argument (e.g. <c>x-queue-type</c>, <c>durable</c>), when the broker named one.</summary>
    public string? Argument { get; }

    /// <summary>The value ActorMq declared (<c>null</c> when it declared none).</summary>
    public string? Received { get; }

    /// <summary>The value the existing queue or exchange has (<c>null</c> when it has none).</summary>
    public string? Current { get; }

    /// <summary>The broker's reply text, verbatim.</summary>
    public string ReplyText { get; }
}

/// <summary>A message body is larger than the configured <c>max-message-size</c>.</summary>
public sealed class MessageTooLargeException : PermanentFailureException
{
    /// <summary>Creates the exception; <paramref name="where"/> names the queue or exchange and <paramref name="settingPath"/> the HOCON key.</summary>
    public MessageTooLargeException(string where, long size, long limit, string settingPath)
        : base($"message for {where} is {size} bytes, larger than the limit of {limit} bytes ({settingPath})")
    {
        Where = where;
        Size = size;
        Limit = limit;
    }

    /// <summary>The queue or exchange the message was for.</summary>
    public string Where { get; }

    /// <summary>The body size in bytes.</summary>
    public long Size { get; }

    /// <summary>The configured limit in bytes.</summary>
    public long Limit { get; }
}

/// <summary>
/// A message body could not be turned into the handler's message type. Permanent: retrying
/// the same bytes cannot succeed. Carries the content type, the target type and the payload's
/// first bytes (escaped, bounded) so the dead letter explains itself.
/// </summary>
public sealed class DeserializationException : PermanentFailureException
{
    /// <summary>Creates the exception.</summary>
    public DeserializationException(string? contentType, Type targetType, string payloadPreview, string reason, Exception? innerException = null)
        : base($"cannot deserialize a '{contentType ?? "(no content type)"}' body into {targetType.FullName}: {reason}; payload starts with: {payloadPreview}", innerException)
    {
        ContentType = contentType;
        TargetType = targetType;
        PayloadPreview = payloadPreview;
    }

    /// <summary>The message's content type, or <c>null</c> when it had none.</summary>
    public string? ContentType { get; }

    /// <summary>The type the handler expected.</summary>
    public Type TargetType { get; }

    /// <summary>The first bytes of the body, printable ASCII kept, everything else escaped as <c>\xNN</c>.</summary>
    public string PayloadPreview { get; }
}
