using Akka.Event;

namespace ActorMq;

/// <summary>
/// ActorMq's log lines, written through Akka's logging (<c>Context.GetLogger()</c>), so the actor system's logging
/// setup — Akka.Hosting's Microsoft.Extensions.Logging bridge, Serilog, TestKit's <c>EventFilter</c> — sees them.
/// Each method is one event; its first word is stable for searches. Exceptions go as the cause, never in the text.
/// </summary>
internal static class Log
{
    public static void Connecting(ILoggingAdapter log, string endpoint, int attempt)
    {
        if (log.IsEnabled(LogLevel.InfoLevel)) log.Log(LogLevel.InfoLevel, null, "Connecting to {0} (attempt {1})", endpoint, attempt);
    }

    public static void Connected(ILoggingAdapter log, string endpoint, string clientName)
    {
        if (log.IsEnabled(LogLevel.InfoLevel)) log.Log(LogLevel.InfoLevel, null, "Connected to {0} as {1}", endpoint, clientName);
    }

    public static void ConnectFailed(ILoggingAdapter log, string endpoint, string reason)
    {
        if (log.IsEnabled(LogLevel.WarningLevel)) log.Log(LogLevel.WarningLevel, null, "Connecting to {0} failed: {1}", endpoint, reason);
    }

    public static void ConnectionLost(ILoggingAdapter log, string endpoint, string reason)
    {
        if (log.IsEnabled(LogLevel.WarningLevel)) log.Log(LogLevel.WarningLevel, null, "Lost the connection to {0}: {1}", endpoint, reason);
    }

    public static void ProbeAnswered(ILoggingAdapter log, string endpoint)
    {
        if (log.IsEnabled(LogLevel.InfoLevel)) log.Log(LogLevel.InfoLevel, null, "Broker at {0} accepts connections again: reconnecting now", endpoint);
    }

    public static void ReconnectScheduled(ILoggingAdapter log, TimeSpan delay, int attempt)
    {
        if (log.IsEnabled(LogLevel.InfoLevel)) log.Log(LogLevel.InfoLevel, null, "Reconnecting in {0} (attempt {1})", delay, attempt);
    }

    public static void LinkFailed(ILoggingAdapter log, string reason)
    {
        if (log.IsEnabled(LogLevel.ErrorLevel)) log.Log(LogLevel.ErrorLevel, null, "The broker link failed for good: {0}", reason);
    }

    public static void LinkBlocked(ILoggingAdapter log, string reason)
    {
        if (log.IsEnabled(LogLevel.WarningLevel)) log.Log(LogLevel.WarningLevel, null, "The broker blocks publishing: {0}", reason);
    }

    public static void LinkUnblocked(ILoggingAdapter log)
    {
        if (log.IsEnabled(LogLevel.InfoLevel)) log.Log(LogLevel.InfoLevel, null, "The broker unblocked publishing");
    }

    public static void TopologyDeclarationFailed(ILoggingAdapter log, Exception error, string reason)
    {
        if (log.IsEnabled(LogLevel.ErrorLevel)) log.Log(LogLevel.ErrorLevel, error, "Topology declaration failed: {0}", reason);
    }

    public static void TopologyInterrupted(ILoggingAdapter log, string reason)
    {
        if (log.IsEnabled(LogLevel.WarningLevel)) log.Log(LogLevel.WarningLevel, null, "Topology declaration interrupted by the link: {0}", reason);
    }

    public static void ConsumerStarted(ILoggingAdapter log, string consumer, string queue, ushort prefetch, int concurrency)
    {
        if (log.IsEnabled(LogLevel.InfoLevel)) log.Log(LogLevel.InfoLevel, null, "Consumer {0} consuming queue {1} (prefetch {2}, concurrency {3})", consumer, queue, prefetch, concurrency);
    }

    public static void DeclarationRefused(ILoggingAdapter log, Exception error, string consumer, string queue)
    {
        if (log.IsEnabled(LogLevel.ErrorLevel)) log.Log(LogLevel.ErrorLevel, error, "Consumer {0} cannot consume queue {1}: {2} — declaring again with backoff (logged once per reason)", consumer, queue, error.Message);
    }

    public static void DeclarationAccepted(ILoggingAdapter log, string consumer, string queue, int refusals)
    {
        if (log.IsEnabled(LogLevel.InfoLevel)) log.Log(LogLevel.InfoLevel, null, "Consumer {0}: the broker accepts the declarations of queue {1} now, after {2} refusals", consumer, queue, refusals);
    }

    public static void ConsumerOpenInterrupted(ILoggingAdapter log, string consumer, string queue, string reason)
    {
        if (log.IsEnabled(LogLevel.InfoLevel)) log.Log(LogLevel.InfoLevel, null, "Consumer {0} could not open queue {1}: the connection closed ({2})", consumer, queue, reason);
    }

    public static void HandlerFailed(ILoggingAdapter log, Exception error, string consumer, string? messageId, bool permanent)
    {
        if (log.IsEnabled(LogLevel.WarningLevel)) log.Log(LogLevel.WarningLevel, error, "Handler of consumer {0} failed message {1} (permanent: {2})", consumer, messageId, permanent);
    }

    public static void BreakerChanged(ILoggingAdapter log, string consumer, string queue, Consuming.BreakerState state, int held, TimeSpan resetTimeout)
    {
        switch (state)
        {
            case Consuming.BreakerState.Open when log.IsEnabled(LogLevel.WarningLevel):
                log.Log(LogLevel.WarningLevel, null, "Circuit breaker of consumer {0} opened: queue {1} paused, {2} deliveries held, next probe in {3}", consumer, queue, held, resetTimeout);
                break;
            case Consuming.BreakerState.HalfOpen when log.IsEnabled(LogLevel.InfoLevel):
                log.Log(LogLevel.InfoLevel, null, "Circuit breaker of consumer {0} half-open: one probe delivery from queue {1} ({2} held)", consumer, queue, held);
                break;
            case Consuming.BreakerState.Closed when log.IsEnabled(LogLevel.InfoLevel):
                log.Log(LogLevel.InfoLevel, null, "Circuit breaker of consumer {0} closed: queue {1} resumes with {2} held deliveries first", consumer, queue, held);
                break;
        }
    }

    public static void ParkedReceived(ILoggingAdapter log, string consumer, string? messageId, string queue, string reason)
    {
        if (log.IsEnabled(LogLevel.WarningLevel)) log.Log(LogLevel.WarningLevel, null, "Consumer {0}: the broker dead-lettered message {1} from queue {2} ({3}); it goes to the dead store", consumer, messageId, queue, reason);
    }

    public static void HandlerReplaced(ILoggingAdapter log, string consumer, TimeSpan timeout)
    {
        if (log.IsEnabled(LogLevel.WarningLevel)) log.Log(LogLevel.WarningLevel, null, "Consumer {0}: a handler blocked its thread past handler-timeout ({1}); a fresh handler takes its place (a handler should not block: await, or run blocking work with Task.Run)", consumer, timeout);
    }

    public static void TierRedeclared(ILoggingAdapter log, string consumer, string reason)
    {
        if (log.IsEnabled(LogLevel.WarningLevel)) log.Log(LogLevel.WarningLevel, null, "Consumer {0} declares its retry tiers again: a retry copy had no route ({1})", consumer, reason);
    }

    public static void HeldTooLong(ILoggingAdapter log, string consumer, string queue, int count, TimeSpan maxHold)
    {
        if (log.IsEnabled(LogLevel.WarningLevel)) log.Log(LogLevel.WarningLevel, null, "Consumer {0} gives {1} deliveries held longer than {2} back to queue {3} (nack with requeue)", consumer, count, maxHold, queue);
    }

    public static void SettleRetryScheduled(ILoggingAdapter log, Exception reason, string consumer, string? messageId, TimeSpan delay, int tries)
    {
        if (log.IsEnabled(LogLevel.WarningLevel)) log.Log(LogLevel.WarningLevel, reason, "Consumer {0} holds message {1} unacked and settles its failure again in {2} (try {3}): it could not be made durable", consumer, messageId, delay, tries);
    }

    public static void UnsettledGivenBack(ILoggingAdapter log, Exception reason, string consumer, string? messageId, string queue, TimeSpan heldFor)
    {
        if (log.IsEnabled(LogLevel.WarningLevel)) log.Log(LogLevel.WarningLevel, reason, "Consumer {0} gives message {1} back to queue {2} (nack with requeue) after holding it {3}: its failure could not be made durable (actormq.retry.settle-hold, or shutting down)", consumer, messageId, queue, heldFor);
    }

    public static void AttemptHeaderUnreadable(ILoggingAdapter log, string consumer, string? messageId, string warning)
    {
        if (log.IsEnabled(LogLevel.WarningLevel)) log.Log(LogLevel.WarningLevel, null, "Consumer {0}, message {1}: {2}", consumer, messageId, warning);
    }

    public static void DrainTimedOut(ILoggingAdapter log, string consumer, int unfinished, TimeSpan timeout)
    {
        if (log.IsEnabled(LogLevel.WarningLevel)) log.Log(LogLevel.WarningLevel, null, "Consumer {0} drained with {1} handlers unfinished after {2}; their messages are redelivered", consumer, unfinished, timeout);
    }

    public static void ChannelCloseFailed(ILoggingAdapter log, Exception error, string queue)
    {
        if (log.IsEnabled(LogLevel.DebugLevel)) log.Log(LogLevel.DebugLevel, error, "Closing the channel of queue {0} failed", queue);
    }

    public static void PublisherChannelOpened(ILoggingAdapter log, string publisher)
    {
        if (log.IsEnabled(LogLevel.InfoLevel)) log.Log(LogLevel.InfoLevel, null, "Publisher {0} opened its confirm channel", publisher);
    }

    public static void PublisherChannelLost(ILoggingAdapter log, string publisher, string reason)
    {
        if (log.IsEnabled(LogLevel.WarningLevel)) log.Log(LogLevel.WarningLevel, null, "Publisher {0} lost its channel: {1}", publisher, reason);
    }

    public static void PublisherReopenScheduled(ILoggingAdapter log, string publisher, string reason, TimeSpan delay)
    {
        if (log.IsEnabled(LogLevel.InfoLevel)) log.Log(LogLevel.InfoLevel, null, "Publisher {0} reopens its channel in {2} ({1})", publisher, reason, delay);
    }

    public static void PublishRetry(ILoggingAdapter log, string reason, int retry, int maxRetries, TimeSpan delay)
    {
        if (log.IsEnabled(LogLevel.WarningLevel)) log.Log(LogLevel.WarningLevel, null, "Publish failed ({0}); retry {1} of {2} in {3}", reason, retry, maxRetries, delay);
    }

    public static void RetryScheduled(ILoggingAdapter log, string consumer, string? messageId, string tierQueue, int retries)
    {
        if (log.IsEnabled(LogLevel.InfoLevel)) log.Log(LogLevel.InfoLevel, null, "Consumer {0}: message {1} retries through {2} (retry {3})", consumer, messageId, tierQueue, retries);
    }

    public static void RetryPublishFailed(ILoggingAdapter log, Exception error, string consumer, string? messageId, string tierQueue)
    {
        if (log.IsEnabled(LogLevel.WarningLevel)) log.Log(LogLevel.WarningLevel, error, "Consumer {0}: the retry copy of message {1} could not be published to {2}", consumer, messageId, tierQueue);
    }

    public static void DeadLettered(ILoggingAdapter log, string consumer, string? messageId, string queue, long id, string reason)
    {
        if (log.IsEnabled(LogLevel.WarningLevel)) log.Log(LogLevel.WarningLevel, null, "Consumer {0}: message {1} from queue {2} dead-lettered as #{3} ({4})", consumer, messageId, queue, id, reason);
    }

    public static void DeadStoreWriteFailed(ILoggingAdapter log, Exception error, string store, int count)
    {
        if (log.IsEnabled(LogLevel.ErrorLevel)) log.Log(LogLevel.ErrorLevel, error, "Writing {1} dead letters to {0} failed; their deliveries are held unacked and settled again after retry.requeue-backoff", store, count);
    }

    public static void ResolvedReportDropped(ILoggingAdapter log, string store, int max)
    {
        if (log.IsEnabled(LogLevel.WarningLevel))
            log.Log(LogLevel.WarningLevel, null, "More than {1} handled replayed copies wait to be recorded in {0}: the oldest report is dropped (its message was handled; its row stays 'replayed')", store, max);
    }

    public static void ReplaysResolved(ILoggingAdapter log, string store, int reports, int resolved)
    {
        if (log.IsEnabled(LogLevel.DebugLevel)) log.Log(LogLevel.DebugLevel, null, "{1} handled replayed copies reported, {2} rows of {0} resolved", store, reports, resolved);
    }

    public static void ResolveFailed(ILoggingAdapter log, Exception error, string store, int count, TimeSpan retry)
    {
        if (log.IsEnabled(LogLevel.WarningLevel))
            log.Log(LogLevel.WarningLevel, error, "Recording {1} handled replayed copies as resolved in {0} failed; tried again in {2}", store, count, retry);
    }

    public static void SearchIndexFailed(ILoggingAdapter log, Exception error, string store)
    {
        if (log.IsEnabled(LogLevel.WarningLevel))
            log.Log(LogLevel.WarningLevel, error, "Indexing dead letters for search in {0} failed (they are stored; the next search or write indexes them)", store);
    }
}
