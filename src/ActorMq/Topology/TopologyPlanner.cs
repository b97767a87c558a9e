using ActorMq.Retry;
using ActorMq.Settings;

namespace ActorMq.Topology;

/// <summary>
/// Derives the whole topology from the settings plus code registrations: the configured exchanges, queues and bindings;
/// producer-declared consumer groups; delay queues per delayed exchange and tier; and per consumer its work queue (or
/// group queue with bindings) and one retry tier per distinct delay its policy can use.
/// </summary>
internal static class TopologyPlanner
{
    /// <summary>The plan for <paramref name="settings"/>; <paramref name="code"/> adds declarations registered in code.</summary>
    /// <param name="settings">The validated settings.</param>
    /// <param name="consumers">The consumers to plan for (normally <see cref="ActorMqSettings.Consumers"/> plus code-registered ones).</param>
    /// <param name="code">Declarations registered in code, applied first; <c>null</c> for none.</param>
    public static TopologyPlan Plan(ActorMqSettings settings, IEnumerable<ConsumerSettings> consumers, Action<TopologyPlanBuilder>? code = null)
    {
        var builder = new TopologyPlanBuilder();
        var names = settings.Names;
        code?.Invoke(builder);

        foreach (var exchange in settings.Topology.Exchanges) builder.AddExchange(exchange);
        foreach (var queue in settings.Topology.Queues) builder.AddQueue(queue);
        foreach (var group in settings.Topology.Groups)
            TopologyShapes.AddConsumerGroup(builder, names, group.Exchange, group.ExchangeType, group.Group, group.BindingKeys, group.QueueType, group.DeliveryLimit);
        if (settings.Retry.DelayedPublishMode == DelayedPublishMode.Tiers)
        {
            foreach (var exchange in settings.Topology.DelayedExchanges)
            {
                foreach (var tier in settings.Retry.DelayTiers)
                {
                    var (delayExchange, queue, binding) = TopologyShapes.DelayPath(names, exchange, tier, settings.Retry.DelayQueueType);
                    builder.AddExchange(delayExchange).AddQueue(queue).AddBinding(binding);
                }
            }
        }

        foreach (var consumer in consumers) AddConsumer(builder, names, consumer);
        foreach (var binding in settings.Topology.Bindings) builder.AddBinding(binding);
        return builder.Build();
    }

    /// <summary>A consumer's work queue (or group queue and bindings) and its retry tiers.</summary>
    public static void AddConsumer(TopologyPlanBuilder builder, TopologyNames names, ConsumerSettings consumer)
    {
        int? deliveryLimit = consumer.QueueType == QueueType.Quorum ? consumer.DeliveryLimit : null;
        if (consumer.Subscription is { } subscription)
        {
            builder.AddExchange(TopologyShapes.Exchange(subscription.Exchange, subscription.ExchangeType));
            TopologyShapes.AddWorkQueue(builder, names, consumer.Queue, consumer.QueueType, deliveryLimit);
            foreach (var key in subscription.BindingKeys.Count == 0 ? [""] : subscription.BindingKeys)
                builder.AddBinding(new BindingDeclaration(subscription.Exchange, consumer.Queue, key, new Dictionary<string, object?>()));
        }
        else
        {
            TopologyShapes.AddWorkQueue(builder, names, consumer.Queue, consumer.QueueType, deliveryLimit);
        }
        foreach (var delay in new RetryPolicy(consumer.Queue, consumer.Retry, names).TierDelays)
            builder.AddQueue(TopologyShapes.RetryTier(names, consumer.Queue, delay, consumer.QueueType));
    }
}
