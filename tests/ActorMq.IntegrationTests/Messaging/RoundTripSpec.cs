using System.Collections.Concurrent;
using Akka.Actor;
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

    [Fact]
    public async Task Among_many_in_flight_exactly_the_unroutable_publishes_must_fail_also_when_they_share_a_message_id()
    {
        var headers = new ConcurrentBag<string>();
        var client = await StartAsync(b => b.AddHandler<byte[]>("ledger", (_, context, _) =>
        {
            foreach (var name in context.Headers.Keys) headers.Add(name);
            return Task.CompletedTask;
        }));

        // 600 publishes in flight at once: every third has no route, and shares its message id with a routable one sent
        // just before it, so a return must be matched to the right publish of the two.
        var outcomes = Enumerable.Range(0, 600).Select(i =>
        {
            var properties = ActorMqClient.CreateProperties("application/octet-stream");
            properties.MessageId = $"m-{i - i % 3 / 2}"; // i = 3k+2 reuses the id of 3k+1
            var routingKey = i % 3 == 2 ? "no-such-queue" : "ledger";
            return (Unroutable: i % 3 == 2, Reply: client.Publisher.Ask<object>(
                new Publish("", routingKey, BitConverter.GetBytes(i), properties), Dilated(TimeSpan.FromSeconds(60))));
        }).ToList();
        var replies = await Task.WhenAll(outcomes.Select(o => o.Reply));

        for (var i = 0; i < replies.Length; i++)
        {
            if (outcomes[i].Unroutable)
                Assert.Equal(312, Assert.IsType<PublishReturnedException>(Assert.IsType<PublishFailed>(replies[i]).Error).ReplyCode);
            else
                Assert.True(replies[i] is Published, $"publish {i}: {replies[i]}");
        }
        await AwaitAssertAsync(async () => Assert.Equal(0, await Broker.CountMessagesAsync("ledger")), Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(400, client.GetStatistics().Consumed);
        Assert.DoesNotContain("x-dotnet-pub-seq-no", headers); // confirms are tracked without a header on the message
    }
}
