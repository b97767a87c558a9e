using ActorMq.Topology;
using Xunit;

namespace ActorMq.Tests.Topology;

public sealed class TopologyPlanBuilderSpec
{
    private static Dictionary<string, object?> Args(params (string Key, object? Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Builder_must_keep_one_copy_of_equivalent_declarations()
    {
        var builder = new TopologyPlanBuilder()
            .AddQueue(new QueueDeclaration("q", true, false, false, Args(("x-message-ttl", 5000L))))
            .AddQueue(new QueueDeclaration("q", true, false, false, Args(("x-message-ttl", 5000))))
            .AddExchange(new ExchangeDeclaration("e", "topic", true, false, Args()))
            .AddExchange(new ExchangeDeclaration("e", "topic", true, false, Args()))
            .AddBinding(new BindingDeclaration("e", "q", "k", Args()))
            .AddBinding(new BindingDeclaration("e", "q", "k", Args()));
        var plan = builder.Build();
        Assert.Single(plan.Queues);
        Assert.Single(plan.Exchanges);
        Assert.Single(plan.Bindings);
    }

    [Fact]
    public void Builder_must_reject_a_queue_declared_two_different_ways_naming_both()
    {
        var builder = new TopologyPlanBuilder().AddQueue(new QueueDeclaration("orders", true, false, false, Args(("x-queue-type", "classic"))));
        var error = Assert.Throws<ActorMqException>(() =>
            builder.AddQueue(new QueueDeclaration("orders", true, false, false, Args(("x-queue-type", "quorum")))));
        Assert.Contains("'orders'", error.Message);
        Assert.Contains("x-queue-type=classic", error.Message);
        Assert.Contains("x-queue-type=quorum", error.Message);
    }

    [Fact]
    public void Builder_must_reject_an_exchange_declared_with_two_types()
    {
        var builder = new TopologyPlanBuilder().AddExchange(new ExchangeDeclaration("orders", "topic", true, false, Args()));
        var error = Assert.Throws<ActorMqException>(() => builder.AddExchange(new ExchangeDeclaration("orders", "fanout", true, false, Args())));
        Assert.Contains("exchange 'orders'", error.Message);
    }

    [Fact]
    public void Builder_must_keep_first_added_order()
    {
        var plan = new TopologyPlanBuilder()
            .AddQueue(new QueueDeclaration("b", true, false, false, Args()))
            .AddQueue(new QueueDeclaration("a", true, false, false, Args()))
            .Build();
        Assert.Equal(["b", "a"], plan.Queues.Select(q => q.Name));
        Assert.NotNull(plan.FindQueue("a"));
        Assert.Null(plan.FindQueue("c"));
    }
}
