using System.Collections.Concurrent;
using ActorMq.TestKit.Broker;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Messaging;

/// <summary>Pub/sub with consumer groups: each group gets every message once, and a group's retries stay in that group.</summary>
public sealed class ConsumerGroupSpec(RabbitMqFixture broker, ITestOutputHelper output) : BrokerSpec(broker, output, """
    actormq.consumer-defaults.retry { delays = [200ms], max-attempts = 3 }
    actormq.subscriptions.billing { exchange = order-events, type = fanout }
    actormq.consumers.shipping.subscription { exchange = order-events, exchange-type = fanout, group = shipping }
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
        // A barrier instead of a wait: a retry copy wrongly routed through the exchange would have reached shipping's
        // queue, and been handed to a handler, before this second event (a queue delivers in order).
        await client.PublishAsync("order-events", "", new OrderPlaced("g-2", 5));
        await AwaitConditionAsync(() => shipping.Any(s => s.Item1 == "g-2") && billing.Any(b => b.Item1 == "g-2"), Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal([("g-1", 1), ("g-1", 2)], billing.Where(b => b.Item1 == "g-1"));
        Assert.Equal([("g-1", 1), ("g-2", 1)], shipping);
        var queues = await Broker.RabbitMqCtlAsync("list_queues", "-p", Broker.VirtualHost, "--no-table-headers", "name");
        Assert.Contains("order-events.billing", queues);
        Assert.Contains("order-events.shipping", queues);
    }
}

/// <summary>A producer declares its exchange's groups at start, so nothing published before a consumer exists is lost.</summary>
public sealed class ProducerDeclaredGroupsSpec(RabbitMqFixture broker, ITestOutputHelper output) : BrokerSpec(broker, output), IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task Groups_declared_by_a_producer_at_start_keep_what_is_published_before_their_consumers_exist()
    {
        const string groups = "actormq.topology.groups.audit { exchange = ledger-events, exchange-type = topic, group = audit, binding-keys = [\"ledger.#\"] }";
        var producer = await StartAsync(b => b.WithoutConsumers(), groups);
        for (var i = 1; i <= 5; i++) await producer.PublishAsync("ledger-events", $"ledger.entry.{i}", new OrderPlaced($"e-{i}", i));
        await producer.PublishAsync("ledger-events", "other.key", new OrderPlaced("not-for-audit", 0), new PublishOptions { Mandatory = false });
        Assert.Equal(5, await Broker.CountMessagesAsync("ledger-events.audit"));
        await producer.StopAsync();

        var seen = new ConcurrentQueue<string>();
        await StartAsync(b => b.AddHandler<OrderPlaced>("audit", (o, _, _) => { seen.Enqueue(o.OrderId); return Task.CompletedTask; }),
            "actormq.subscriptions.audit { exchange = ledger-events, type = topic, binding-keys = [\"ledger.#\"] }");

        await AwaitConditionAsync(() => seen.Count == 5, Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"e-{i}"), seen.Order());
    }
}
