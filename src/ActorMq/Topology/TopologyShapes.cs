namespace ActorMq.Topology;

/// <summary>The declarations ActorMq's own queues need: work queues, retry tiers, delay queues, consumer groups.</summary>
internal static class TopologyShapes
{
    /// <summary>
    /// A durable work queue; a quorum queue always gets an explicit <c>x-delivery-limit</c>. With <paramref name="parkedQueue"/>
    /// what the broker dead-letters from it (a quorum delivery limit reached, a reject without requeue, an overflow, a
    /// TTL set by policy) goes there through the default exchange, instead of being dropped.
    /// </summary>
    public static QueueDeclaration WorkQueue(string queue, QueueType type, int? deliveryLimit, string? parkedQueue = null)
    {
        var arguments = new Dictionary<string, object?> { [TopologyArguments.QueueType] = TypeName(type) };
        if (parkedQueue is not null)
        {
            arguments[TopologyArguments.DeadLetterExchange] = "";
            arguments[TopologyArguments.DeadLetterRoutingKey] = parkedQueue;
            if (type == QueueType.Quorum) AtLeastOnceDeadLettering(arguments);
        }
        if (type == QueueType.Quorum)
        {
            arguments[TopologyArguments.DeliveryLimit] = deliveryLimit
                ?? throw new ArgumentException($"quorum queue '{queue}' needs an explicit delivery limit", nameof(deliveryLimit));
        }
        return new QueueDeclaration(queue, Durable: true, Exclusive: false, AutoDelete: false, arguments);
    }

    /// <summary>
    /// A retry tier: holds a failed message for <paramref name="delay"/>, then dead-letters it through the
    /// default exchange straight back to <paramref name="queue"/> (never through the original exchange).
    /// </summary>
    public static QueueDeclaration RetryTier(TopologyNames names, string queue, TimeSpan delay, QueueType type)
    {
        var arguments = new Dictionary<string, object?>
        {
            [TopologyArguments.QueueType] = TypeName(type),
            [TopologyArguments.MessageTtl] = DelayName.ToTtl(delay),
            [TopologyArguments.DeadLetterExchange] = "",
            [TopologyArguments.DeadLetterRoutingKey] = queue,
        };
        if (type == QueueType.Quorum) AtLeastOnceDeadLettering(arguments);
        return new(names.RetryTier(queue, delay), Durable: true, Exclusive: false, AutoDelete: false, arguments);
    }

    /// <summary>
    /// A quorum queue dead-letters at most once by default: a copy expiring while the queue's leader moves, or while its
    /// target queue does not exist, is dropped. <c>at-least-once</c> keeps it until the target confirmed it (RabbitMQ
    /// 3.10+, which requires <c>x-overflow = reject-publish</c>).
    /// </summary>
    private static void AtLeastOnceDeadLettering(Dictionary<string, object?> arguments)
    {
        arguments[TopologyArguments.DeadLetterStrategy] = "at-least-once";
        arguments[TopologyArguments.Overflow] = "reject-publish";
    }

    /// <summary>
    /// A delay queue: holds a message for <paramref name="delay"/>, then dead-letters it to
    /// <paramref name="exchange"/> with its own routing key (no routing-key override).
    /// </summary>
    public static QueueDeclaration DelayQueue(TopologyNames names, string exchange, TimeSpan delay, QueueType type) =>
        new(names.DelayQueue(exchange.Length == 0 ? DefaultExchangeText : exchange, delay), Durable: true, Exclusive: false, AutoDelete: false,
            new Dictionary<string, object?>
            {
                [TopologyArguments.QueueType] = TypeName(type),
                [TopologyArguments.MessageTtl] = DelayName.ToTtl(delay),
                [TopologyArguments.DeadLetterExchange] = exchange,
            });

    /// <summary>
    /// Everything a delayed publish to <paramref name="exchange"/> needs: a fanout exchange and a queue, both named
    /// <c>{exchange}.delay.{delay}</c>, bound together. The publisher sends to that exchange with the message's own routing
    /// key; the queue holds it for the TTL, then dead-letters it to <paramref name="exchange"/> keeping that routing key.
    /// </summary>
    public static (ExchangeDeclaration Exchange, QueueDeclaration Queue, BindingDeclaration Binding) DelayPath(
        TopologyNames names, string exchange, TimeSpan delay, QueueType type)
    {
        var queue = DelayQueue(names, exchange, delay, type);
        var delayExchange = new ExchangeDeclaration(queue.Name, "fanout", Durable: true, AutoDelete: false, new Dictionary<string, object?>());
        return (delayExchange, queue, new BindingDeclaration(delayExchange.Name, queue.Name, "", new Dictionary<string, object?>()));
    }

    /// <summary>A durable exchange with no arguments.</summary>
    public static ExchangeDeclaration Exchange(string name, string type) =>
        new(name, type, Durable: true, AutoDelete: false, new Dictionary<string, object?>());

    /// <summary>
    /// Adds a consumer group: the exchange, the group's queue <c>{exchange}.{group}</c> and one binding per
    /// binding key (one binding with an empty key when there are none, as a fanout needs).
    /// </summary>
    public static string AddConsumerGroup(
        TopologyPlanBuilder builder, TopologyNames names, string exchange, string exchangeType, string group,
        IReadOnlyList<string> bindingKeys, QueueType queueType, int? deliveryLimit)
    {
        var queue = names.GroupQueue(exchange, group);
        builder.AddExchange(Exchange(exchange, exchangeType));
        AddWorkQueue(builder, names, queue, queueType, deliveryLimit);
        foreach (var key in bindingKeys.Count == 0 ? [""] : bindingKeys)
            builder.AddBinding(new BindingDeclaration(exchange, queue, key, new Dictionary<string, object?>()));
        return queue;
    }

    /// <summary>A work queue and, when parking is on, its parked queue (same type, no dead-letter target of its own).</summary>
    public static void AddWorkQueue(TopologyPlanBuilder builder, TopologyNames names, string queue, QueueType type, int? deliveryLimit)
    {
        var parked = names.ParkedQueue(queue);
        builder.AddQueue(WorkQueue(queue, type, deliveryLimit, parked));
        if (parked is not null) builder.AddQueue(WorkQueue(parked, type, deliveryLimit));
    }

    /// <summary>The <c>{exchange}</c> text in delay queue names for the default exchange.</summary>
    public const string DefaultExchangeText = "default";

    /// <summary>The <c>x-queue-type</c> value.</summary>
    public static string TypeName(QueueType type) => type == QueueType.Quorum ? "quorum" : "classic";
}
