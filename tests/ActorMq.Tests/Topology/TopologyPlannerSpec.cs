using ActorMq.Settings;
using ActorMq.Tests.Settings;
using ActorMq.Topology;
using Xunit;

namespace ActorMq.Tests.Topology;

public sealed class TopologyPlannerSpec
{
    private static TopologyPlan Plan(string application, Action<TopologyPlanBuilder>? code = null)
    {
        var settings = ActorMqSettings.Create(Conf.Of(application));
        return TopologyPlanner.Plan(settings, settings.Consumers, code);
    }

    [Fact]
    public void Planner_must_declare_a_work_queue_and_one_tier_per_delay_for_each_consumer()
    {
        var plan = Plan("actormq.consumers.orders { queue-type = quorum, delivery-limit = 100 }");
        Assert.Equal(["orders", "orders.parked", "orders.retry.5s", "orders.retry.30s", "orders.retry.5m"], plan.Queues.Select(q => q.Name));
        Assert.Equal(100, plan.FindQueue("orders")!.Arguments[TopologyArguments.DeliveryLimit]);
        // What the broker would drop from the work queue goes to its parked queue instead.
        Assert.Equal("", plan.FindQueue("orders")!.Arguments[TopologyArguments.DeadLetterExchange]);
        Assert.Equal("orders.parked", plan.FindQueue("orders")!.Arguments[TopologyArguments.DeadLetterRoutingKey]);
        Assert.False(plan.FindQueue("orders.parked")!.Arguments.ContainsKey(TopologyArguments.DeadLetterExchange));
        Assert.All(plan.Queues, q => Assert.Equal("quorum", q.Arguments[TopologyArguments.QueueType]));
        Assert.Equal(300_000L, plan.FindQueue("orders.retry.5m")!.Arguments[TopologyArguments.MessageTtl]);
        // Quorum queues dead-letter at least once (the default, at most once, drops a copy its target cannot take).
        foreach (var name in new[] { "orders", "orders.retry.5m" })
        {
            Assert.Equal("at-least-once", plan.FindQueue(name)!.Arguments[TopologyArguments.DeadLetterStrategy]);
            Assert.Equal("reject-publish", plan.FindQueue(name)!.Arguments[TopologyArguments.Overflow]);
        }
        Assert.Empty(plan.Bindings);
    }

    [Fact]
    public void Planner_must_bind_consumer_groups_and_keep_their_retries_in_the_group()
    {
        var plan = Plan("""
            actormq.consumers {
              billing { subscription { exchange = orders, binding-keys = [] } }
              shipping { subscription { exchange = orders } }
            }
            """);
        Assert.Equal("fanout", Assert.Single(plan.Exchanges).Type);
        Assert.Equal([("orders", "orders.billing"), ("orders", "orders.shipping")], plan.Bindings.Select(b => (b.Exchange, b.Queue)));
        Assert.Equal("orders.billing", plan.FindQueue("orders.billing.retry.5s")!.Arguments[TopologyArguments.DeadLetterRoutingKey]);
        Assert.Equal("", plan.FindQueue("orders.billing.retry.5s")!.Arguments[TopologyArguments.DeadLetterExchange]);
    }

    [Fact]
    public void Planner_must_declare_delay_paths_for_delayed_exchanges_in_tiers_mode()
    {
        var plan = Plan("""
            actormq.topology {
              exchanges.orders { type = topic }
              delayed-exchanges = [orders]
            }
            actormq.retry.delayed-publish.tiers = [1s, 1m]
            """);
        Assert.Equal(["orders", "orders.delay.1s", "orders.delay.1m"], plan.Exchanges.Select(e => e.Name));
        Assert.Equal(["orders.delay.1s", "orders.delay.1m"], plan.Queues.Select(q => q.Name));
        Assert.Equal("orders", plan.FindQueue("orders.delay.1m")!.Arguments[TopologyArguments.DeadLetterExchange]);
        Assert.Equal(2, plan.Bindings.Count);
    }

    [Fact]
    public void Planner_must_include_code_registrations_and_catch_conflicts_with_configuration()
    {
        var plan = Plan("actormq.consumers.orders {}", b => b.AddExchange(new ExchangeDeclaration("shop", "direct", true, false, new Dictionary<string, object?>())));
        Assert.Equal("shop", Assert.Single(plan.Exchanges).Name);

        var error = Assert.Throws<ActorMqException>(() => Plan("actormq.consumers.orders {}",
            b => b.AddQueue(TopologyShapes.WorkQueue("orders", QueueType.Quorum, 10))));
        Assert.Contains("'orders'", error.Message);
    }

    [Fact]
    public void Planner_must_use_the_configured_name_patterns()
    {
        var plan = Plan("""
            actormq.retry.tier-queue-pattern = "retry.{queue}.{delay}"
            actormq.topology.parked-queue-pattern = "parked.{queue}"
            actormq.consumers.orders.retry { delays = [2s], max-attempts = 3 }
            """);
        Assert.Equal(["orders", "parked.orders", "retry.orders.2s"], plan.Queues.Select(q => q.Name));
    }

    [Fact]
    public void Planner_must_leave_work_queues_without_a_dead_letter_target_when_parking_is_off()
    {
        var plan = Plan("""
            actormq.topology.parked-queue-pattern = ""
            actormq.consumers.orders.retry { delays = [2s], max-attempts = 3 }
            """);
        Assert.Equal(["orders", "orders.retry.2s"], plan.Queues.Select(q => q.Name));
        Assert.False(plan.FindQueue("orders")!.Arguments.ContainsKey(TopologyArguments.DeadLetterExchange));
    }
}
