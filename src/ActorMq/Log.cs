using Microsoft.Extensions.Logging;

namespace ActorMq;

/// <summary>ActorMq's log events, with stable ids: 1xxx connection, 2xxx consumers, 3xxx publishers, 4xxx retry, 5xxx dead store.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Connecting to {Endpoint} (attempt {Attempt})")]
    public static partial void Connecting(ILogger logger, string endpoint, int attempt);

    [LoggerMessage(1001, LogLevel.Information, "Connected to {Endpoint} as {ClientName}")]
    public static partial void Connected(ILogger logger, string endpoint, string clientName);

    [LoggerMessage(1002, LogLevel.Warning, "Connecting to {Endpoint} failed: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(1003, LogLevel.Warning, "Lost the connection to {Endpoint}: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string endpoint, string reason);

    [LoggerMessage(1004, LogLevel.Information, "Reconnecting in {Delay} (attempt {Attempt})")]
    public static partial void ReconnectScheduled(ILogger logger, TimeSpan delay, int attempt);

    [LoggerMessage(1005, LogLevel.Critical, "The broker link failed for good: {Reason}")]
    public static partial void LinkFailed(ILogger logger, string reason);

    [LoggerMessage(1006, LogLevel.Warning, "The broker blocks publishing: {Reason}")]
    public static partial void LinkBlocked(ILogger logger, string reason);

    [LoggerMessage(1007, LogLevel.Information, "The broker unblocked publishing")]
    public static partial void LinkUnblocked(ILogger logger);

    [LoggerMessage(1008, LogLevel.Error, "Topology declaration failed: {Reason}")]
    public static partial void TopologyDeclarationFailed(ILogger logger, Exception error, string reason);

    [LoggerMessage(1009, LogLevel.Warning, "Topology declaration interrupted by the link: {Reason}")]
    public static partial void TopologyInterrupted(ILogger logger, string reason);

    [LoggerMessage(2000, LogLevel.Information, "Consumer {Consumer} consuming queue {Queue} (prefetch {Prefetch}, concurrency {Concurrency})")]
    public static partial void ConsumerStarted(ILogger logger, string consumer, string queue, ushort prefetch, int concurrency);

    [LoggerMessage(2001, LogLevel.Information, "Consumer {Consumer} could not open queue {Queue}: the connection closed ({Reason})")]
    public static partial void ConsumerOpenInterrupted(ILogger logger, string consumer, string queue, string reason);

    [LoggerMessage(2002, LogLevel.Warning, "Handler of consumer {Consumer} failed message {MessageId} (permanent: {Permanent})")]
    public static partial void HandlerFailed(ILogger logger, Exception error, string consumer, string? messageId, bool permanent);

    [LoggerMessage(2003, LogLevel.Warning, "Consumer {Consumer} requeues message {MessageId} in {Delay}: its failure could not be made durable")]
    public static partial void RequeueScheduled(ILogger logger, Exception reason, string consumer, string? messageId, TimeSpan delay);

    [LoggerMessage(2004, LogLevel.Warning, "Consumer {Consumer}, message {MessageId}: {Warning}")]
    public static partial void AttemptHeaderUnreadable(ILogger logger, string consumer, string? messageId, string warning);

    [LoggerMessage(2005, LogLevel.Warning, "Consumer {Consumer} drained with {Unfinished} handlers unfinished after {Timeout}; their messages are redelivered")]
    public static partial void DrainTimedOut(ILogger logger, string consumer, int unfinished, TimeSpan timeout);

    [LoggerMessage(2006, LogLevel.Debug, "Closing the channel of queue {Queue} failed")]
    public static partial void ChannelCloseFailed(ILogger logger, Exception error, string queue);

    [LoggerMessage(3000, LogLevel.Information, "Publisher {Publisher} opened its confirm channel")]
    public static partial void PublisherChannelOpened(ILogger logger, string publisher);

    [LoggerMessage(3001, LogLevel.Warning, "Publisher {Publisher} lost its channel: {Reason}")]
    public static partial void PublisherChannelLost(ILogger logger, string publisher, string reason);

    [LoggerMessage(3002, LogLevel.Information, "Publisher {Publisher} reopens its channel in {Delay} ({Reason})")]
    public static partial void PublisherReopenScheduled(ILogger logger, string publisher, string reason, TimeSpan delay);

    [LoggerMessage(3003, LogLevel.Warning, "Publish failed ({Reason}); retry {Retry} of {MaxRetries} in {Delay}")]
    public static partial void PublishRetry(ILogger logger, string reason, int retry, int maxRetries, TimeSpan delay);

    [LoggerMessage(4000, LogLevel.Information, "Consumer {Consumer}: message {MessageId} retries through {TierQueue} (retry {Retries})")]
    public static partial void RetryScheduled(ILogger logger, string consumer, string? messageId, string tierQueue, int retries);

    [LoggerMessage(4001, LogLevel.Warning, "Consumer {Consumer}: the retry copy of message {MessageId} could not be published to {TierQueue}")]
    public static partial void RetryPublishFailed(ILogger logger, Exception error, string consumer, string? messageId, string tierQueue);

    [LoggerMessage(5000, LogLevel.Warning, "Consumer {Consumer}: message {MessageId} from queue {Queue} dead-lettered as #{Id} ({Reason})")]
    public static partial void DeadLettered(ILogger logger, string consumer, string? messageId, string queue, long id, string reason);

    [LoggerMessage(5001, LogLevel.Error, "Writing {Count} dead letters to {Store} failed; their deliveries are requeued")]
    public static partial void DeadStoreWriteFailed(ILogger logger, Exception error, string store, int count);
}
