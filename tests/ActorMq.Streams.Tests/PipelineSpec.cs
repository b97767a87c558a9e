using ActorMq.DeadStore;
using ActorMq.TestKit.Broker;
using Akka.Streams.Dsl;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.Streams.Tests;

/// <summary>A receipt for a charged order.</summary>
public sealed record Receipt(string OrderId, decimal Charged);

/// <summary>The README's pipeline, as written there: consume orders, call a service, publish the result passing the delivery through, ack on the confirm.</summary>
public sealed class PipelineSpec(RabbitMqFixture broker, ITestOutputHelper output) : StreamSpec(broker, output)
{
    private static async Task<Receipt> ChargeAsync(Order order)
    {
        await Task.Yield();
        if (order.Total <= 0) throw new PermanentFailureException($"order {order.OrderId} has no total");
        return new Receipt(order.OrderId, order.Total);
    }

    [Fact]
    public async Task Orders_are_charged_their_receipts_published_and_each_order_acked_on_the_confirm()
    {
        var mq = await StartAsync(b => b.AddCommittableSource("orders").AddCommittableSource("receipts"));
        await Task.WhenAll(Enumerable.Range(1, 100).Select(i =>
            mq.SendAsync("orders", new Order($"o-{i}", i == 7 ? 0m : i), new PublishOptions { MessageId = $"o-{i}" })));

        // --- as in the README ---
        var (control, done) = ActorMqSource.Committable<Order>(mq, "orders")
            .SelectAsync(16, async delivery =>
            {
                try
                {
                    return (Delivery: delivery, Receipt: await ChargeAsync(delivery.Message));
                }
                catch (Exception e)
                {
                    await delivery.FailAsync(e); // next retry tier, or the dead store; acked once that is durable
                    return (Delivery: delivery, Receipt: (Receipt?)null);
                }
            })
            .Collect(x => x.Receipt is not null, x => PublishRequest.Create("", "receipts", x.Receipt!, x.Delivery))
            .Via(ActorMqFlow.Publish<Receipt, CommittableDelivery<Order>>(mq, parallelism: 64))
            .SelectAsync(64, result => result.Succeeded ? result.PassThrough.AckAsync() : result.PassThrough.FailAsync(result.Error!))
            .ToMaterialized(Sink.Ignore<SettleOutcome>(), Keep.Both)
            .Run(Materializer);
        // ---

        var receipts = await ActorMqSource.Committable<Receipt>(mq, "receipts").Take(99)
            .SelectAsync(16, async d => { await d.AckAsync(); return d.Message; })
            .RunWith(Sink.Seq<Receipt>(), Materializer)
            .WaitAsync(Dilated(TimeSpan.FromSeconds(60)));
        Assert.Equal(Enumerable.Range(1, 100).Where(i => i != 7).Select(i => $"o-{i}").ToHashSet(), receipts.Select(r => r.OrderId).ToHashSet());
        await AwaitQueueCountAsync("orders", 0);
        var dead = Assert.Single((await mq.DeadLetterStore.ListAsync(new DeadLetterQuery { Limit = 10, Filter = new DeadLetterFilter { Queue = "orders" } })).Items);
        Assert.Equal("o-7", dead.Letter.MessageId);

        await control.DrainAndShutdownAsync(done);
        Assert.True(done.IsCompletedSuccessfully);
    }
}
