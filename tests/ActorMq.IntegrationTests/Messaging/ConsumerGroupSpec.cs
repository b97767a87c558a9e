using System.Collections.Concurrent;
using ActorMq.TestKit.Broker;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Messaging;

/// <summary>Pub/sub with consumer groups: each group gets every message once, and a group's retries stay in that group.</summary>
public sealed class ConsumerGroupSpec(RabbitMqFixture broker, ITestOutputHelper output) : BrokerSpec(broker, output, """
    actormq.consumer-defaults.retry { delays = [200ms], max-attempts = 3 }
    actormq.consumers {
      billing.subscription { exchange = order-events, exchange-type = fanout, group = billing }
      shipping.subscription { exchange = order-events, exchange-type = fanout, group = shipping }
    }
    """), IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task A_retry_in_one_group_is_not_duplicated_into_the_other()
    {
        var billing = new ConcurrentQueue<(string Id, int Attempt)>();
        var shipping = new ConcurrentQueue<(string Id, int Attempt)>();
        var client = await StartAsync(b => b
            .AddHandler<OrderPlaced>("billing", (o, c, _) =>
            {
                billing.Enqueue((o.OrderId, c.Attempt));
                return c.Attempt == 1 ? throw new InvalidOperationException("billing hiccup") : Task.CompletedTask;
            })
            .AddHandler<OrderPlaced>("shipping", (o, c, _) =>
            {
                shipping.Enqueue((o.OrderId, c.Attempt));
                return Task.CompletedTask;
            }));

        await client.PublishAsync("order-events", "", new OrderPlaced("g-1", 5));

        await AwaitConditionAsync(() => billing.Count == 2 && shipping.Count == 1, Dilated(TimeSpan.FromSeconds(30)));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(800)); // time for a wrongly routed retry to show up
        Assert.Equal([("g-1", 1), ("g-1", 2)], billing);
        Assert.Equal([("g-1", 1)], shipping);
        var queues = await Broker.RabbitMqCtlAsync("list_queues", "-p", Broker.VirtualHost, "--no-table-headers", "name");
        Assert.Contains("order-events.billing", queues);
        Assert.Contains("order-events.shipping", queues);
    }
}
