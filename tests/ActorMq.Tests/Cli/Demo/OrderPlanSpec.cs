using ActorMq.Cli.Demo;
using Akka.Configuration;
using Xunit;

namespace ActorMq.Tests.Cli.Demo;

public sealed class OrderPlanSpec
{
    private static DemoSettings Settings(string overrides = "") =>
        DemoSettings.Create(ActorMq.Tests.Shared.TestConfig.Load(ConfigurationFactory.ParseString(overrides).WithFallback(DemoSettings.Embedded())));

    [Fact]
    public void The_same_seed_must_plan_the_same_orders()
    {
        var a = OrderPlan.Create(Settings(), 4, "run");
        var b = OrderPlan.Create(Settings(), 4, "run");

        Assert.Equal(a.Orders, b.Orders);
        Assert.NotEqual(a.Orders.Select(o => o.Failures), OrderPlan.Create(Settings("actormq-demo.seed = 7"), 4, "run").Orders.Select(o => o.Failures));
    }

    [Fact]
    public void Poison_orders_and_orders_failing_every_attempt_must_be_the_expected_dead_letters()
    {
        var plan = OrderPlan.Create(Settings("actormq-demo { orders = 200, poison-orders = 5 }"), 4, "r1");

        Assert.Equal(200, plan.Orders.Count);
        Assert.Equal(5, plan.Orders.Count(o => o.Poison));
        Assert.All(plan.Orders, o => Assert.StartsWith("r1-", o.OrderId));
        var expected = plan.Orders.Where(o => o.Poison || o.Failures == int.MaxValue).Select(o => o.OrderId).ToHashSet();
        Assert.True(expected.SetEquals(plan.ExpectedDeadLetters));
        Assert.Equal(plan.Orders.Where(o => !o.Poison).Sum(o => Math.Min(o.Failures, 3)), plan.ExpectedRetries);
        Assert.Contains(plan.Orders, o => o.Failures == 3); // some orders walk all three tiers and then succeed
    }

    [Fact]
    public void Fewer_attempts_must_turn_more_flaky_orders_into_dead_letters()
    {
        var settings = Settings();

        var plan = OrderPlan.Create(settings, 2, "r");

        Assert.True(plan.Orders.Where(o => !o.Poison && o.Failures >= 2).Select(o => o.OrderId).All(plan.ExpectedDeadLetters.Contains));
        Assert.Equal(plan.Orders.Where(o => !o.Poison).Sum(o => Math.Min(o.Failures, 1)), plan.ExpectedRetries);
    }

    [Theory]
    [InlineData("actormq-demo.orders = 0", "actormq-demo.orders")]
    [InlineData("actormq-demo.flaky.fail-once = 0.9", "actormq-demo.flaky")]
    [InlineData("actormq-demo.flaky.fail-twice = -0.1", "actormq-demo.flaky.fail-twice")]
    [InlineData("actormq-demo.publish-duration = banana", "actormq-demo.publish-duration")]
    public void Bad_demo_settings_must_name_their_path(string overrides, string path)
    {
        var error = Assert.Throws<ConfigurationException>(() => Settings(overrides));

        Assert.Equal(path, error.Path);
    }
}
