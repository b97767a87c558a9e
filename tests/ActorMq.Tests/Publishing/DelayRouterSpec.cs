using ActorMq.Publishing;
using ActorMq.Settings;
using ActorMq.Tests.Settings;
using ActorMq.Topology;
using Xunit;

namespace ActorMq.Tests.Publishing;

public sealed class DelayRouterSpec
{
    private static DelayRouter Router(string retry)
    {
        var settings = ActorMqSettings.Create(Conf.Of(retry));
        return new DelayRouter(settings.Retry, settings.Names);
    }

    [Fact]
    public void Tiers_mode_must_round_up_to_the_next_tier()
    {
        var router = Router("actormq.retry.delayed-publish.tiers = [1s, 30s, 5m]");
        var route = router.Route("orders", TimeSpan.FromSeconds(7));
        Assert.Equal(TimeSpan.FromSeconds(30), route.EffectiveDelay);
        Assert.Equal("orders.delay.30s", route.Queue.Name);
        Assert.Equal("orders.delay.30s", route.Exchange.Name);
        Assert.Equal("orders", route.Queue.Arguments[TopologyArguments.DeadLetterExchange]);
        Assert.Equal(TimeSpan.FromSeconds(1), router.Route("orders", TimeSpan.FromSeconds(1)).EffectiveDelay);
    }

    [Fact]
    public void Tiers_mode_must_refuse_a_delay_above_the_largest_tier()
    {
        var router = Router("actormq.retry.delayed-publish.tiers = [1s, 30s]");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => router.Route("orders", TimeSpan.FromMinutes(2)));
        Assert.Contains("actormq.retry.delayed-publish.tiers", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => router.Route("orders", TimeSpan.Zero));
    }

    [Fact]
    public void Exact_mode_must_create_one_queue_per_delay_up_to_the_cap()
    {
        var router = Router("actormq.retry.delayed-publish { mode = exact, max-exact-queues = 2 }");
        Assert.Equal("orders.delay.1500ms", router.Route("orders", TimeSpan.FromMilliseconds(1499.2)).Queue.Name);
        Assert.Equal("orders.delay.2s", router.Route("orders", TimeSpan.FromSeconds(2)).Queue.Name);
        Assert.Equal("orders.delay.2s", router.Route("orders", TimeSpan.FromSeconds(2)).Queue.Name);
        var error = Assert.Throws<ActorMqException>(() => router.Route("orders", TimeSpan.FromSeconds(3)));
        Assert.Contains("max-exact-queues", error.Message);
        Assert.Contains("'orders.delay.3s'", error.Message);
    }
}
