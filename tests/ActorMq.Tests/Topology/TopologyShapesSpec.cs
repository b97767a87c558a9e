using ActorMq.Topology;
using Xunit;

namespace ActorMq.Tests.Topology;

public sealed class TopologyShapesSpec
{
    private static readonly TopologyNames Names = new("{queue}.retry.{delay}", "{exchange}.delay.{delay}", "{exchange}.{group}");

    [Fact]
    public void WorkQueue_must_be_durable_classic_without_a_delivery_limit()
    {
        var queue = TopologyShapes.WorkQueue("orders", QueueType.Classic, null);
        Assert.Equal("orders", queue.Name);
        Assert.True(queue.Durable);
        Assert.False(queue.Exclusive);
        Assert.False(queue.AutoDelete);
        Assert.Equal("classic", queue.Arguments[TopologyArguments.QueueType]);
        Assert.False(queue.Arguments.ContainsKey(TopologyArguments.DeliveryLimit));
    }

    [Fact]
    public void WorkQueue_must_give_a_quorum_queue_an_explicit_delivery_limit()
    {
        var queue = TopologyShapes.WorkQueue("orders", QueueType.Quorum, 50);
        Assert.Equal("quorum", queue.Arguments[TopologyArguments.QueueType]);
        Assert.Equal(50, queue.Arguments[TopologyArguments.DeliveryLimit]);
        Assert.Throws<ArgumentException>(() => TopologyShapes.WorkQueue("orders", QueueType.Quorum, null));
    }

    [Fact]
    public void RetryTier_must_dead_letter_through_the_default_exchange_back_to_its_own_queue()
    {
        var tier = TopologyShapes.RetryTier(Names, "orders", TimeSpan.FromSeconds(30), QueueType.Quorum);
        Assert.Equal("orders.retry.30s", tier.Name);
        Assert.True(tier.Durable);
        Assert.Equal(30_000L, Assert.IsType<long>(tier.Arguments[TopologyArguments.MessageTtl]));
        Assert.Equal("", tier.Arguments[TopologyArguments.DeadLetterExchange]);
        Assert.Equal("orders", tier.Arguments[TopologyArguments.DeadLetterRoutingKey]);
        Assert.Equal("quorum", tier.Arguments[TopologyArguments.QueueType]);
    }

    [Fact]
    public void DelayPath_must_dead_letter_to_the_exchange_without_overriding_the_routing_key()
    {
        var (exchange, queue, binding) = TopologyShapes.DelayPath(Names, "orders", TimeSpan.FromMinutes(1), QueueType.Classic);
        Assert.Equal("orders.delay.1m", queue.Name);
        Assert.Equal(60_000L, queue.Arguments[TopologyArguments.MessageTtl]);
        Assert.Equal("orders", queue.Arguments[TopologyArguments.DeadLetterExchange]);
        Assert.False(queue.Arguments.ContainsKey(TopologyArguments.DeadLetterRoutingKey));
        Assert.Equal("orders.delay.1m", exchange.Name);
        Assert.Equal("fanout", exchange.Type);
        Assert.Equal(new BindingDeclaration("orders.delay.1m", "orders.delay.1m", "", binding.Arguments), binding);
    }

    [Fact]
    public void DelayPath_for_the_default_exchange_must_be_named_default()
    {
        var (_, queue, _) = TopologyShapes.DelayPath(Names, "", TimeSpan.FromSeconds(5), QueueType.Classic);
        Assert.Equal("default.delay.5s", queue.Name);
        Assert.Equal("", queue.Arguments[TopologyArguments.DeadLetterExchange]);
    }

    [Fact]
    public void ConsumerGroup_must_declare_the_exchange_the_group_queue_and_one_binding_per_key()
    {
        var builder = new TopologyPlanBuilder();
        var queue = TopologyShapes.AddConsumerGroup(builder, Names, "orders", "topic", "billing", ["order.created", "order.paid"], QueueType.Classic, null);
        var plan = builder.Build();
        Assert.Equal("orders.billing", queue);
        Assert.Equal("topic", Assert.Single(plan.Exchanges).Type);
        Assert.Equal("orders.billing", Assert.Single(plan.Queues).Name);
        Assert.Equal(["order.created", "order.paid"], plan.Bindings.Select(b => b.RoutingKey));
        Assert.All(plan.Bindings, b => Assert.Equal(("orders", "orders.billing"), (b.Exchange, b.Queue)));
    }

    [Fact]
    public void ConsumerGroup_on_a_fanout_without_keys_must_bind_once_with_an_empty_key()
    {
        var builder = new TopologyPlanBuilder();
        TopologyShapes.AddConsumerGroup(builder, Names, "events", "fanout", "audit", [], QueueType.Classic, null);
        Assert.Equal("", Assert.Single(builder.Build().Bindings).RoutingKey);
    }

    [Fact]
    public void Names_must_follow_configured_patterns()
    {
        var names = new TopologyNames("retry-{delay}-{queue}", "{exchange}__{delay}", "{group}@{exchange}");
        Assert.Equal("retry-5s-orders", names.RetryTier("orders", TimeSpan.FromSeconds(5)));
        Assert.Equal("orders__1500ms", names.DelayQueue("orders", TimeSpan.FromMilliseconds(1500)));
        Assert.Equal("billing@orders", names.GroupQueue("orders", "billing"));
    }
}
