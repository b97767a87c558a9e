using System.Collections.Concurrent;
using System.Text.Json;
using ActorMq.Consuming;
using ActorMq.IntegrationTests.Messaging;
using ActorMq.Publishing;
using ActorMq.TestKit.Broker;
using ActorMq.Tests.Shared;
using Akka.Actor;
using Akka.Configuration;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Embedding;

/// <summary>
/// A service that already runs an Akka.NET ActorSystem — its own actors, its own <c>akka { }</c> settings and a section of
/// its own beside <c>actormq</c> — adds ActorMq to it, against the real broker.
/// </summary>
public sealed class EmbeddingSpec(RabbitMqFixture broker, ITestOutputHelper output) : ActorMqTestKit(output: output), IClassFixture<RabbitMqFixture>
{
    public sealed record Receipt(string OrderId, decimal Charged);

    /// <summary>The service's own actor: charges an order, publishes the receipt through ActorMq, then replies MessageHandled.</summary>
    private sealed class BillingActor : ReceiveActor
    {
        public BillingActor(decimal fee)
        {
            // ActorMq's root takes Publish from any actor; a selection resolves it without wiring.
            var publisher = Context.ActorSelection("/user/actormq");
            Receive<MessageReceived>(received =>
            {
                var order = (OrderPlaced)received.Message;
                var replyTo = Sender;
                var receipt = JsonSerializer.SerializeToUtf8Bytes(new Receipt(order.OrderId, order.Total + fee));
                var properties = ActorMqClient.CreateProperties("application/json", new PublishOptions { CorrelationId = received.Context.MessageId });
                publisher.Ask<object>(new Publish("", "receipts", receipt, properties), TimeSpan.FromSeconds(30))
                    .PipeTo(replyTo, success: reply => reply is Published ? MessageHandled.Instance : new Status.Failure(((PublishFailed)reply).Error));
            });
        }
    }

    private Config ServiceConfig(string extra = "") => ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = INFO
          actor.default-dispatcher.throughput = 20
        }
        shop.billing.fee = 2.5
        actormq {
          connection.uris = ["{{broker.AmqpUri}}"]
          dead-store.sqlite.path = "{{Path.Combine(Path.GetTempPath(), $"actormq-embedding-{Guid.NewGuid():N}.db")}}"
          consumers {
            orders { concurrency = 4 }
          }
          {{extra}}
        }
        """);

    [Fact]
    public async Task A_users_actor_system_must_host_ActorMq_with_its_own_config_and_a_user_actor_handling_and_publishing_replies()
    {
        var system = ActorSystem.Create("shop", ServiceConfig());
        try
        {
            var receipts = new ConcurrentDictionary<string, Receipt>();
            var client = await ActorMqClient.StartAsync(system, configure: b => b
                .AddHandlerActor<OrderPlaced>("orders", Props.Create(() => new BillingActor(system.Settings.Config.GetDecimal("shop.billing.fee", 0))))
                .AddHandler<Receipt>("receipts", (receipt, _, _) =>
                {
                    receipts[receipt.OrderId] = receipt;
                    return Task.CompletedTask;
                }));
            using (var ready = new CancellationTokenSource(Dilated(TimeSpan.FromSeconds(60)))) await client.WaitUntilReadyAsync(ready.Token);

            // The service's settings and Akka's are untouched; ActorMq's defaults are visible in the system's config.
            Assert.Equal(20, system.Settings.Config.GetInt("akka.actor.default-dispatcher.throughput"));
            Assert.Equal(2.5m, system.Settings.Config.GetDecimal("shop.billing.fee"));
            Assert.Equal("retry-count", system.Settings.Config.GetConfig("actormq").GetString("retry.attempt-header"));
            Assert.Equal("akka://shop/user/actormq", client.Publisher.Path.ToString());

            await Task.WhenAll(Enumerable.Range(1, 20).Select(i => client.SendAsync("orders", new OrderPlaced($"o-{i}", i))));

            await AwaitConditionAsync(() => receipts.Count == 20, Dilated(TimeSpan.FromSeconds(60)));
            Assert.All(receipts.Values, r => Assert.Equal(decimal.Parse(r.OrderId[2..]) + 2.5m, r.Charged));
            await AwaitAssertAsync(async () => Assert.Equal(0, await broker.CountMessagesAsync("orders")), Dilated(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Coordinated_shutdown_must_drain_in_flight_handlers_and_lose_nothing()
    {
        var system = ActorSystem.Create("shop", ServiceConfig("consumers.slow { concurrency = 5, prefetch = 10, drain-timeout = 30s }"));
        new CapturedLogs(Output).Capture(system);
        var handled = new ConcurrentDictionary<string, int>();
        var started = 0;
        try
        {
            var client = await ActorMqClient.StartAsync(system, configure: b => b
                .AddHandler<OrderPlaced>("orders", (_, _, _) => Task.CompletedTask)
                .AddHandler<OrderPlaced>("slow", async (order, _, _) =>
                {
                    Interlocked.Increment(ref started);
                    await Task.Delay(300, CancellationToken.None); // a handler that ignores cancellation: the drain must wait for it
                    handled.AddOrUpdate(order.OrderId, 1, (_, n) => n + 1);
                }));
            using (var ready = new CancellationTokenSource(Dilated(TimeSpan.FromSeconds(60)))) await client.WaitUntilReadyAsync(ready.Token);
            await Task.WhenAll(Enumerable.Range(1, 100).Select(i => client.SendAsync("slow", new OrderPlaced($"s-{i}", i), new PublishOptions { MessageId = $"s-{i}" })));
            await AwaitConditionAsync(() => handled.Count >= 10, Dilated(TimeSpan.FromSeconds(60)));

            // Akka's own shutdown, as a host stop or system.Terminate() runs it.
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        }
        finally
        {
            await system.Terminate();
        }

        // Every handler that had started finished before the link closed, and what it finished was acked: the broker
        // holds exactly the messages never handled, and none was handled twice.
        Assert.Equal(started, handled.Count);
        Assert.All(handled.Values, n => Assert.Equal(1, n));
        Assert.InRange(handled.Count, 10, 99);
        await AwaitAssertAsync(async () => Assert.Equal(100 - handled.Count, await broker.CountMessagesAsync("slow")), Dilated(TimeSpan.FromSeconds(30)));
    }
}
