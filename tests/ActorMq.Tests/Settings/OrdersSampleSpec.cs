using ActorMq.DeadStore;
using Akka.Configuration;
using ActorMq.Settings;
using ActorMq.Topology;
using Xunit;

namespace ActorMq.Tests.Settings;

/// <summary>hocon/samples/orders.conf (the README's quick start) is valid and means what its comments say.</summary>
public sealed class OrdersSampleSpec
{
    private static Config Load()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "hocon", "samples", "orders.conf");
            if (File.Exists(path))
                return ActorMq.Tests.Shared.TestConfig.Load(path);
        }
        throw new FileNotFoundException("hocon/samples/orders.conf not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void The_orders_sample_must_give_a_quorum_work_queue_two_groups_and_a_sqlite_store()
    {
        var config = Load();
        var settings = ActorMqSettings.Create(config);

        Assert.Equal(["rabbit-1", "rabbit-2"], settings.Connection.Endpoints.Select(e => e.Host));
        Assert.Equal(TimeSpan.FromMinutes(10), settings.Connection.MaxOutage);
        var orders = settings.Consumer("orders");
        Assert.Equal((QueueType.Quorum, 16, 4), (orders.QueueType, orders.Concurrency, orders.Retry.MaxAttempts));
        Assert.Equal("order-events.billing", settings.Consumer("billing").Queue);
        Assert.Equal(["order.placed"], settings.Consumer("shipping").Subscription!.BindingKeys);
        Assert.Equal(4, settings.Consumer("shipping").Concurrency);
        Assert.Equal("/var/lib/orders/actormq-dead.db", DeadStoreSettings.Create(config).Sqlite.Path);

        var plan = TopologyPlanner.Plan(settings, settings.Consumers);
        Assert.NotNull(plan.FindQueue("orders.retry.30s"));
        Assert.NotNull(plan.FindExchange("order-events.delay.5s"));
    }
}
