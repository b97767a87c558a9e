using System.Collections.Concurrent;
using ActorMq.Consuming;
using ActorMq.Publishing;
using ActorMq.TestKit.Broker;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Messaging;

public sealed record OrderPlaced(string OrderId, decimal Total);

public sealed class RoundTripSpec(RabbitMqFixture broker, ITestOutputHelper output) : BrokerSpec(broker, output), IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task Published_messages_must_reach_the_typed_handler_once_each_and_be_acked()
    {
        var handled = new ConcurrentDictionary<string, int>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("orders", (order, context, _) =>
        {
            handled.AddOrUpdate(order.OrderId, 1, (_, n) => n + 1);
            Assert.Equal("orders", context.Queue);
            Assert.Equal(1, context.Attempt);
            return Task.CompletedTask;
        }));

        var published = await Task.WhenAll(Enumerable.Range(1, 500)
            .Select(i => client.SendAsync("orders", new OrderPlaced($"o-{i}", i))));

        Assert.Equal(500, published.Select(p => p.MessageId).Distinct().Count());
        await AwaitConditionAsync(() => handled.Count == 500, Dilated(TimeSpan.FromSeconds(60)));
        Assert.All(handled.Values, n => Assert.Equal(1, n));
        await AwaitAssertAsync(async () => Assert.Equal(0, await Broker.CountMessagesAsync("orders")), Dilated(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task An_actor_must_publish_with_the_actor_protocol_and_get_the_confirm()
    {
        var client = await StartAsync(b => b.AddHandler<byte[]>("audit", (_, _, _) => Task.CompletedTask));

        client.Publisher.Tell(new Publish("", "audit", "hello"u8.ToArray()), TestActor);
        var published = await ExpectMsgAsync<Published>(Dilated(TimeSpan.FromSeconds(30)));
        Assert.False(string.IsNullOrEmpty(published.MessageId));

        client.Publisher.Tell(new Publish("", "no-such-queue", "lost?"u8.ToArray()), TestActor);
        var failed = await ExpectMsgAsync<PublishFailed>(Dilated(TimeSpan.FromSeconds(30)));
        Assert.IsType<PublishReturnedException>(failed.Error);
    }
}
