using ActorMq.Topology;

namespace ActorMq.Settings;

/// <summary>How <c>PublishAsync(..., delay)</c> picks its delay queue.</summary>
public enum DelayedPublishMode
{
    /// <summary>Round the delay up to the smallest configured tier (one queue per exchange and tier).</summary>
    Tiers,

    /// <summary>One queue per exchange and exact delay, up to a cap.</summary>
    Exact,
}

/// <summary>Retries and delayed publish, from <c>actormq.retry</c>.</summary>
/// <param name="AttemptHeader">The header counting retries (<c>retry-count</c>; <c>retry_nums</c> for Go interop).</param>
/// <param name="TierQueuePattern">Retry tier queue name pattern (<c>{queue}</c>, <c>{delay}</c>).</param>
/// <param name="DelayQueuePattern">Delay queue name pattern (<c>{exchange}</c>, <c>{delay}</c>).</param>
/// <param name="DelayQueueType">Queue type of delay queues.</param>
/// <param name="DelayedPublishMode">tiers or exact.</param>
/// <param name="DelayTiers">The tiers, ascending.</param>
/// <param name="MaxExactQueues">Exact mode: the most delay queues created.</param>
/// <param name="RequeueBackoff">Backoff between tries to settle a failure when a retry publish (or the dead store) fails, per delivery.</param>
/// <param name="SettleHold">How long such a delivery is held unacked before it is given back to its queue (nack with requeue).</param>
/// <param name="SettleTimeout">How long settling one failure (retry copy confirmed, or dead letter committed) may take before it counts as not settled.</param>
/// <param name="ErrorMessageMaxLength">Longest <c>error-message</c> header, in characters.</param>
public sealed record RetrySettings(
    string AttemptHeader,
    string TierQueuePattern,
    string DelayQueuePattern,
    QueueType DelayQueueType,
    DelayedPublishMode DelayedPublishMode,
    IReadOnlyList<TimeSpan> DelayTiers,
    int MaxExactQueues,
    BackoffSettings RequeueBackoff,
    TimeSpan SettleHold,
    TimeSpan SettleTimeout,
    int ErrorMessageMaxLength)
{
    /// <summary>The HOCON path of this section.</summary>
    public const string Path = "actormq.retry";

    /// <summary>Reads and validates <c>actormq.retry</c>.</summary>
    /// <exception cref="ConfigurationException">A value is missing or invalid.</exception>
    public static RetrySettings Create(Akka.Configuration.Config config)
    {
        var reader = SettingsReader.For(config, Path);
        var header = reader.String("attempt-header");
        if (header.Length == 0 || header.StartsWith("x-", StringComparison.OrdinalIgnoreCase))
            throw reader.Invalid("attempt-header", "a non-empty header name not starting with 'x-' (RabbitMQ 3.13+ ignores client-set x- headers)");
        var delayed = reader.Section("delayed-publish");
        var tiers = delayed.DelayList("tiers").Order().Distinct().ToList();
        return new RetrySettings(
            header,
            reader.Pattern("tier-queue-pattern", "{queue}", "{delay}"),
            reader.Pattern("delay-queue-pattern", "{exchange}", "{delay}"),
            reader.Enum("delay-queue-type", "classic | quorum", ("classic", QueueType.Classic), ("quorum", QueueType.Quorum)),
            delayed.Enum("mode", "tiers | exact", ("tiers", DelayedPublishMode.Tiers), ("exact", DelayedPublishMode.Exact)),
            tiers,
            delayed.Int("max-exact-queues", 1, 100_000),
            BackoffSettings.Create(reader.Section("requeue-backoff")),
            reader.Duration("settle-hold", positive: true),
            reader.Duration("settle-timeout", positive: true),
            reader.Int("error-message-max-length", 16, 1_000_000));
    }
}
