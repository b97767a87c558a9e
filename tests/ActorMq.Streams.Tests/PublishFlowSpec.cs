using ActorMq.TestKit.Broker;
using Akka;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.Streams.Tests;

/// <summary>The publish flow and sink against the real broker: confirms, order, pass-through, returned publishes.</summary>
public sealed class PublishFlowSpec(RabbitMqFixture broker, ITestOutputHelper output) : StreamSpec(broker, output)
{
    [Fact]
    public async Task Results_come_in_input_order_with_their_pass_through_and_an_unroutable_publish_is_a_failed_result()
    {
        var client = await StartAsync(b => b.AddCommittableSource("invoices"));
        var requests = Enumerable.Range(1, 200)
            .Select(i => PublishRequest.Create("", i == 50 ? "no-such-queue" : "invoices", new Order($"i-{i}", i), i,
                new PublishOptions { MessageId = $"i-{i}" }))
            .ToList();

        var results = await Source.From(requests)
            .Via(ActorMqFlow.Publish<Order, int>(client, parallelism: 32))
            .RunWith(Sink.Seq<PublishResult<int>>(), Materializer)
            .WaitAsync(Dilated(TimeSpan.FromSeconds(30)));

        Assert.Equal(Enumerable.Range(1, 200), results.Select(r => r.PassThrough));
        var returned = results[49];
        Assert.False(returned.Succeeded);
        var error = Assert.IsType<PublishReturnedException>(returned.Error);
        Assert.Contains("no-such-queue", error.Message);
        Assert.All(results.Where(r => r.PassThrough != 50), r => Assert.Equal(($"i-{r.PassThrough}", true), (r.MessageId, r.Succeeded)));
        Assert.Equal(199, await Broker.CountMessagesAsync("invoices")); // confirmed means enqueued
    }

    [Fact]
    public async Task With_fail_on_error_a_returned_publish_fails_the_stream()
    {
        var client = await StartAsync(b => b.AddCommittableSource("strict"));
        var probe = Source.From(new[] { "strict", "nowhere", "strict" })
            .Select(q => PublishRequest.Create("", q, new Order(q, 1m), q))
            .Via(ActorMqFlow.Publish<Order, string>(client, parallelism: 1, failOnError: true))
            .RunWith(this.SinkProbe<PublishResult<string>>(), Materializer);
        probe.Request(3);
        Assert.True((await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20)))).Succeeded);
        Assert.IsType<PublishReturnedException>(await probe.ExpectErrorAsync());
    }

    [Fact]
    public async Task The_sink_completes_when_every_element_is_confirmed_and_fails_on_a_refused_one()
    {
        var client = await StartAsync(b => b.AddCommittableSource("ledger"));
        await Source.From(Enumerable.Range(1, 500))
            .Select(i => PublishRequest.Create("", "ledger", new Order($"l-{i}", i)))
            .RunWith(ActorMqSink.Publish<Order>(client, parallelism: 64), Materializer)
            .WaitAsync(Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(500, await Broker.CountMessagesAsync("ledger"));

        var failing = Source.From(new[] { "ledger", "nowhere" })
            .Select(q => PublishRequest.Create("", q, new Order(q, 1m)))
            .RunWith(ActorMqSink.Publish<Order>(client), Materializer);
        await Assert.ThrowsAsync<PublishReturnedException>(() => failing.WaitAsync(Dilated(TimeSpan.FromSeconds(30))));
    }

    [Fact]
    public async Task Parallelism_below_one_is_refused_naming_it()
    {
        var client = await StartAsync(b => b.AddCommittableSource("unused"));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ActorMqFlow.Publish<Order, NotUsed>(client, 0));
        Assert.Equal("parallelism", e.ParamName);
    }
}
