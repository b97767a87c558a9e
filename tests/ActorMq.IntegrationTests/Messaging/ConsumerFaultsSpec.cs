using System.Collections.Concurrent;
using ActorMq.Consuming;
using ActorMq.TestKit.Broker;
using RabbitMQ.Client;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Messaging;

/// <summary>Faults of one consumer's queue: the consumer recovers, and the others never notice.</summary>
public sealed class ConsumerFaultsSpec(RabbitMqFixture broker, ITestOutputHelper output) : BrokerSpec(broker, output), IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task A_consumer_whose_queue_is_deleted_restarts_and_declares_it_again()
    {
        var handled = new ConcurrentDictionary<string, int>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("fragile", (o, _, _) =>
        {
            handled.TryAdd(o.OrderId, 1);
            return Task.CompletedTask;
        }));
        await client.SendAsync("fragile", new OrderPlaced("before", 1));
        await AwaitConditionAsync(() => handled.ContainsKey("before"));

        Sys.EventStream.Subscribe(TestActor, typeof(ConsumerStateChanged));
        await Broker.DeleteQueueAsync("fragile");

        await FishForMessageAsync<ConsumerStateChanged>(s => s.Consumer == "fragile" && s.Consuming, Dilated(TimeSpan.FromSeconds(30)));
        Assert.NotNull(await Broker.CountMessagesAsync("fragile")); // declared again
        await client.SendAsync("fragile", new OrderPlaced("after", 1));
        await AwaitConditionAsync(() => handled.ContainsKey("after"), Dilated(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_mismatched_queue_declaration_is_reported_by_name_and_argument_and_other_consumers_run()
    {
        await using (var connection = await Broker.CreateConnectionFactory().CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
            await channel.QueueDeclareAsync("mismatched", durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?>
                {
                    ["x-queue-type"] = "quorum", // ActorMq declares it classic (the default): the one difference
                    ["x-dead-letter-exchange"] = "",
                    ["x-dead-letter-routing-key"] = "mismatched.parked",
                });

        var handled = new ConcurrentBag<string>();
        var client = await StartAsync(b => b
                .AddHandler<OrderPlaced>("mismatched", (_, _, _) => Task.CompletedTask)
                .AddHandler<OrderPlaced>("healthy", (o, _, _) => { handled.Add(o.OrderId); return Task.CompletedTask; }),
            "actormq.consumers.mismatched.queue-type = classic",
            waitUntilReady: false);

        await client.SendAsync("healthy", new OrderPlaced("fine", 1));
        await AwaitConditionAsync(() => handled.Contains("fine"), Dilated(TimeSpan.FromSeconds(30)));

        await AwaitAssertAsync(() =>
        {
            var error = Assert.Single(Logs.Since(0).Where(e => e.Exception is TopologyMismatchException).Select(e => e.Exception).Take(1));
            Assert.Contains("'mismatched'", error!.Message);
            Assert.Contains("x-queue-type", error.Message);
        }, Dilated(TimeSpan.FromSeconds(30)));
        // It keeps declaring with backoff, says why in its status, and logs the error once, not once per try.
        await AwaitAssertAsync(async () =>
        {
            var status = (await client.GetConsumersAsync()).Single(c => c.Consumer == "mismatched");
            Assert.False(status.Consuming);
            Assert.Contains("x-queue-type", status.Problem);
            Assert.Contains("refused 3 time(s)", status.Problem);
        }, Dilated(TimeSpan.FromSeconds(30)));
        Assert.Single(Logs.Since(0), e => e.Exception is TopologyMismatchException && e.Message.Contains("consume queue mismatched"));
        var consumers = await client.GetConsumersAsync();
        Assert.True(consumers.Single(c => c.Consumer == "healthy").Consuming);
    }
}
