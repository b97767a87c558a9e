using ActorMq.Topology;

namespace ActorMq.Settings;

/// <summary>One consumer, from <c>actormq.consumers.&lt;name&gt;</c> layered over <c>actormq.consumer-defaults</c>.</summary>
/// <param name="Name">The consumer name (its key under <c>actormq.consumers</c>).</param>
/// <param name="Queue">The queue consumed (resolved: the name, the configured queue, or the group queue).</param>
/// <param name="QueueType">classic or quorum (retry tiers get the same).</param>
/// <param name="DeliveryLimit">Quorum queues: <c>x-delivery-limit</c>; always greater than <c>retry.max-attempts</c>.</param>
/// <param name="Prefetch">basic.qos prefetch count.</param>
/// <param name="Concurrency">HandlerActors running in parallel (at most <paramref name="Prefetch"/>).</param>
/// <param name="AckBatchSize">Completed acks held before one multiple ack (at most <paramref name="Prefetch"/>).</param>
/// <param name="AckFlushInterval">Longest wait of a completed delivery for its ack.</param>
/// <param name="HandlerTimeout">Time a handler may take.</param>
/// <param name="DrainTimeout">Time in-flight handlers get on shutdown.</param>
/// <param name="MaxMessageSize">Largest body handled, in bytes.</param>
/// <param name="DefaultContentType">Content type assumed when a message has none.</param>
/// <param name="Subscription">The exchange binding (consumer group), or <c>null</c>.</param>
/// <param name="Retry">The retry policy.</param>
/// <param name="CircuitBreaker">The circuit breaker (off unless enabled).</param>
public sealed record ConsumerSettings(
    string Name,
    string Queue,
    QueueType QueueType,
    int DeliveryLimit,
    ushort Prefetch,
    int Concurrency,
    int AckBatchSize,
    TimeSpan AckFlushInterval,
    TimeSpan HandlerTimeout,
    TimeSpan DrainTimeout,
    long MaxMessageSize,
    string DefaultContentType,
    SubscriptionSettings? Subscription,
    ConsumerRetrySettings Retry,
    CircuitBreakerSettings CircuitBreaker)
{
    /// <summary>The HOCON path holding one entry per consumer.</summary>
    public const string ConsumersPath = "actormq.consumers";

    /// <summary>The HOCON path of the template every consumer is layered over.</summary>
    public const string DefaultsPath = "actormq.consumer-defaults";

    /// <summary>Reads and validates consumer <paramref name="name"/> (<c>actormq.consumers.&lt;name&gt;</c> over <c>actormq.consumer-defaults</c>).</summary>
    /// <param name="config">The whole configuration.</param>
    /// <param name="name">The consumer name.</param>
    /// <param name="groupQueuePattern">How a consumer group's queue is named (<c>actormq.topology.group-queue-pattern</c>).</param>
    /// <exception cref="ConfigurationException">A value is missing or invalid.</exception>
    public static ConsumerSettings Create(Akka.Configuration.Config config, string name, string groupQueuePattern) =>
        Build(SettingsReader.Layered(config, $"{ConsumersPath}.{SettingsReader.Quote(name)}", DefaultsPath), name, groupQueuePattern,
            reader => SubscriptionSettings.Create(reader.Section("subscription"), name));

    /// <summary>The HOCON path holding one entry per subscription (a consumer group on an exchange).</summary>
    public const string SubscriptionsPath = "actormq.subscriptions";

    /// <summary>The HOCON path of the subscription keys' template; a subscription is layered over it, then over consumer-defaults.</summary>
    public const string SubscriptionDefaultsPath = "actormq.subscription-defaults";

    /// <summary>
    /// Reads subscription <paramref name="name"/>: <c>actormq.subscriptions.&lt;name&gt; { exchange, type, group, binding-keys }</c>
    /// (plus any consumer key) over <c>actormq.subscription-defaults</c> and <c>actormq.consumer-defaults</c> — a consumer of queue
    /// <c>&lt;exchange&gt;.&lt;group&gt;</c>.
    /// </summary>
    /// <exception cref="ConfigurationException">A value is missing or invalid.</exception>
    public static ConsumerSettings CreateSubscription(Akka.Configuration.Config config, string name, string groupQueuePattern) =>
        Build(SettingsReader.Layered(config, $"{SubscriptionsPath}.{SettingsReader.Quote(name)}", SubscriptionDefaultsPath, DefaultsPath), name, groupQueuePattern,
            reader => SubscriptionSettings.FromEntry(reader, name));

    private static ConsumerSettings Build(SettingsReader reader, string name, string groupQueuePattern, Func<SettingsReader, SubscriptionSettings?> readSubscription)
    {
        var retry = ConsumerRetrySettings.Create(reader.Section("retry"));
        var queueType = reader.Enum("queue-type", "classic | quorum", ("classic", QueueType.Classic), ("quorum", QueueType.Quorum));
        var deliveryLimit = reader.Int("delivery-limit", 1, int.MaxValue);
        if (queueType == QueueType.Quorum && deliveryLimit <= retry.MaxAttempts)
            throw reader.Invalid("delivery-limit", $"an integer greater than retry.max-attempts ({retry.MaxAttempts}) so the broker never drops a message before ActorMq's retries end");
        var prefetch = reader.Int("prefetch", 1, ushort.MaxValue);
        // More handlers or a bigger ack batch than prefetch allows could never be used: both are capped at prefetch.
        var concurrency = Math.Min(reader.Int("concurrency", 1, int.MaxValue), prefetch);
        var ackBatch = Math.Min(reader.Int("ack-batch-size", 1, int.MaxValue), prefetch);
        var subscription = readSubscription(reader);
        var queue = reader.String("queue");
        if (queue.Length == 0)
            queue = subscription is null ? name : new TopologyNames("", "", groupQueuePattern).GroupQueue(subscription.Exchange, subscription.Group);
        if (queue.StartsWith("amq.", StringComparison.Ordinal)) throw reader.Invalid("queue", "a queue name not starting with 'amq.' (reserved by RabbitMQ)");
        var defaultContentType = reader.String("default-content-type");
        if (defaultContentType.Length == 0) throw reader.Invalid("default-content-type", "a content type such as application/json");
        return new ConsumerSettings(
            name, queue, queueType, deliveryLimit, (ushort)prefetch, concurrency, ackBatch,
            reader.Duration("ack-flush-interval", positive: true),
            reader.Duration("handler-timeout", positive: true),
            reader.Duration("drain-timeout", positive: false),
            reader.Bytes("max-message-size", 1, int.MaxValue),
            defaultContentType, subscription, retry, CircuitBreakerSettings.Create(reader.Section("circuit-breaker")));
    }
}

/// <summary>A consumer's binding to an exchange (a consumer group), from <c>subscription</c>.</summary>
/// <param name="Exchange">The exchange.</param>
/// <param name="ExchangeType">fanout, topic, direct or headers.</param>
/// <param name="Group">The group (defaults to the consumer name).</param>
/// <param name="BindingKeys">Binding keys; empty = one binding with an empty key.</param>
public sealed record SubscriptionSettings(string Exchange, string ExchangeType, string Group, IReadOnlyList<string> BindingKeys)
{
    /// <summary>A subscription entry: the exchange (required), its <c>type</c>, the group and the binding keys at the entry's top level.</summary>
    internal static SubscriptionSettings FromEntry(SettingsReader reader, string name)
    {
        var exchange = reader.String("exchange");
        if (exchange.Length == 0) throw reader.Invalid("exchange", "the name of the exchange this subscription consumes");
        var type = reader.Enum("type", "fanout | topic | direct | headers", ("fanout", "fanout"), ("topic", "topic"), ("direct", "direct"), ("headers", "headers"));
        var keys = reader.StringList("binding-keys");
        if (type is "topic" or "direct" && keys.Count == 0)
            throw reader.Invalid("binding-keys", $"at least one binding key for a {type} exchange");
        var group = reader.String("group");
        return new SubscriptionSettings(exchange, type, group.Length == 0 ? name : group, keys);
    }

    internal static SubscriptionSettings? Create(SettingsReader reader, string consumerName)
    {
        var exchange = reader.String("exchange");
        if (exchange.Length == 0) return null;
        var type = reader.Enum("exchange-type", "fanout | topic | direct | headers", ("fanout", "fanout"), ("topic", "topic"), ("direct", "direct"), ("headers", "headers"));
        var keys = reader.StringList("binding-keys");
        if (type is "topic" or "direct" && keys.Count == 0)
            throw reader.Invalid("binding-keys", $"at least one binding key for a {type} exchange");
        var group = reader.String("group");
        return new SubscriptionSettings(exchange, type, group.Length == 0 ? consumerName : group, keys);
    }
}

/// <summary>A consumer's retry policy, from <c>retry</c>.</summary>
/// <param name="Delays">Wait before retry 1, 2, ...; the last repeats.</param>
/// <param name="MaxAttempts">Handlings in all (1 = no retries).</param>
/// <param name="PermanentExceptions">Exception type names (full or simple) that skip the retries.</param>
public sealed record ConsumerRetrySettings(IReadOnlyList<TimeSpan> Delays, int MaxAttempts, IReadOnlyList<string> PermanentExceptions)
{
    internal static ConsumerRetrySettings Create(SettingsReader reader) => new(
        reader.DelayList("delays"),
        reader.Int("max-attempts", 1, 1_000_000),
        reader.StringList("permanent-exceptions"));
}

/// <summary>A consumer's circuit breaker, from <c>circuit-breaker</c> (built on <c>Akka.Pattern.CircuitBreaker</c>).</summary>
/// <param name="Enabled">Whether the consumer has a breaker.</param>
/// <param name="MaxFailures">Failures (each within <paramref name="Within"/> of the previous) that open it.</param>
/// <param name="Within">A failure later than this after the previous one starts the count again.</param>
/// <param name="CallTimeout">A handler succeeding slower than this counts as a failure for the breaker.</param>
/// <param name="ResetTimeout">Open time before the first probe.</param>
/// <param name="MaxResetTimeout">Longest open time between probes.</param>
/// <param name="ExponentialBackoffFactor">Growth of the open time after each failed probe.</param>
/// <param name="MaxHold">Held deliveries older than this are given back to the queue.</param>
public sealed record CircuitBreakerSettings(
    bool Enabled, int MaxFailures, TimeSpan Within, TimeSpan CallTimeout, TimeSpan ResetTimeout, TimeSpan MaxResetTimeout,
    double ExponentialBackoffFactor, TimeSpan MaxHold)
{
    internal static CircuitBreakerSettings Create(SettingsReader reader)
    {
        var reset = reader.Duration("reset-timeout", positive: true);
        var maxReset = reader.Duration("max-reset-timeout", positive: true);
        if (maxReset < reset) throw reader.Invalid("max-reset-timeout", $"a duration of at least reset-timeout ({reset})");
        return new CircuitBreakerSettings(
            reader.Bool("enabled"),
            reader.Int("max-failures", 1, 1_000_000),
            reader.Duration("within", positive: true),
            reader.Duration("call-timeout", positive: true),
            reset, maxReset,
            reader.Double("exponential-backoff-factor", 1.0, 1000.0),
            reader.Duration("max-hold", positive: true));
    }
}
