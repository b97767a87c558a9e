using System.Collections.Concurrent;
using ActorMq.Connection;
using ActorMq.Publishing;
using ActorMq.TestKit.Broker;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.Streams.Tests;

/// <summary>Streams while the broker closes every connection or blocks publishing. These act on the shared node, so they run alone.</summary>
[Collection(BrokerFaultsCollection.Name)]
public sealed class StreamBrokerFaultsSpec(RabbitMqFixture broker, ITestOutputHelper output) : StreamSpec(broker, output)
{
    [Fact]
    public async Task Nothing_is_lost_when_all_connections_are_closed_mid_stream_and_old_elements_report_redelivery()
    {
        var client = await StartAsync(b => b.AddCommittableSource("chaos"), "actormq.consumers.chaos { prefetch = 50 }");
        var ids = Enumerable.Range(1, 3_000).Select(i => $"chaos-{i}").ToList();
        await SendAllAsync(client, "chaos", ids);
        var acked = new ConcurrentDictionary<string, int>();
        var redeliveryReported = new ConcurrentBag<string>();
        var seenRedelivered = new ConcurrentBag<string>();

        var (control, completion) = ActorMqSource.Committable<Order>(client, "chaos")
            .Throttle(600, TimeSpan.FromSeconds(1), 50, ThrottleMode.Shaping) // about five seconds for the whole queue
            .SelectAsync(8, async d =>
            {
                if (d.Context.Redelivered) seenRedelivered.Add(d.Message.OrderId);
                var outcome = await d.AckAsync();
                if (outcome == SettleOutcome.Acked) acked.AddOrUpdate(d.Message.OrderId, 1, (_, n) => n + 1);
                else redeliveryReported.Add(d.Message.OrderId);
                return outcome;
            })
            .ToMaterialized(Sink.Ignore<SettleOutcome>(), Keep.Both)
            .Run(Materializer);

        await AwaitConditionAsync(() => acked.Count >= 800, Dilated(TimeSpan.FromSeconds(60)));
        await Broker.CloseAllConnectionsAsync("stream chaos 1");
        var ackedAtFirstClose = acked.Count;
        await AwaitConditionAsync(() => acked.Count >= ackedAtFirstClose + 800, Dilated(TimeSpan.FromSeconds(60)));
        await Broker.CloseAllConnectionsAsync("stream chaos 2");

        await AwaitConditionAsync(() => acked.Count == ids.Count, Dilated(TimeSpan.FromMinutes(2)), $"expected all {ids.Count} ids acked");
        Assert.True(ackedAtFirstClose < ids.Count, "the connections were closed after the stream had finished: nothing was tested");
        Assert.False(completion.IsCompleted, "the stream must survive the closed connections");
        Assert.Equal(0, ids.Count(id => !acked.ContainsKey(id)));
        // Elements of the old channels could not be acked: they said so, and the broker delivered them again.
        Assert.NotEmpty(seenRedelivered);
        Assert.All(redeliveryReported, id => Assert.True(acked.ContainsKey(id), $"{id} reported redelivery but never came back"));
        Output?.WriteLine($"{redeliveryReported.Count} settles reported redelivery; {seenRedelivered.Count} redelivered deliveries; " +
                          $"{acked.Values.Count(n => n > 1)} ids acked on two channels");
        await AwaitQueueCountAsync("chaos", 0);
        await AwaitAssertAsync(async () => Assert.Equal(LinkState.Connected, (await client.GetLinkStateAsync()).State), Dilated(TimeSpan.FromSeconds(30)));
        await control.DrainAndShutdownAsync(completion);
    }

    [Fact]
    public async Task The_publish_flow_back_pressures_while_the_broker_blocks_publishing_with_at_most_parallelism_unconfirmed()
    {
        var client = await StartAsync(b => b.AddCommittableSource("blocked"));
        var owners = await client.Root.Ask<ChannelOwners>(GetChannelOwners.Instance, TimeSpan.FromSeconds(10));
        async Task<int> UnconfirmedAsync()
        {
            var states = await Task.WhenAll(owners.Publishers.Select(p => p.Ask<PublisherState>(GetPublisherState.Instance, TimeSpan.FromSeconds(10))));
            return states.Sum(s => s.Buffered + s.InFlight);
        }

        try
        {
            await Broker.SetMemoryHighWatermarkAsync(0.0000001);
            var probe = Source.From(Enumerable.Range(1, 20))
                .Select(i => PublishRequest.Create("", "blocked", new Order($"o-{i}", i), i))
                .Via(ActorMqFlow.Publish<Order, int>(client, parallelism: 4))
                .RunWith(this.SinkProbe<PublishResult<int>>(), Materializer);
            probe.Request(20);
            // The broker blocks the connection at its first publish.
            await AwaitAssertAsync(async () => Assert.Equal(LinkState.Blocked, (await client.GetLinkStateAsync()).State), Dilated(TimeSpan.FromSeconds(30)));
            await AwaitAssertAsync(async () => Assert.Equal(4, await UnconfirmedAsync()), Dilated(TimeSpan.FromSeconds(20)));
            await probe.ExpectNoMsgAsync(TimeSpan.FromSeconds(1));
            Assert.Equal(4, await UnconfirmedAsync()); // the other 16 wait upstream, not in ActorMq's buffers

            await Broker.SetMemoryHighWatermarkAsync(0.4);
            var results = new List<PublishResult<int>>();
            for (var i = 0; i < 20; i++) results.Add(await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(30))));
            await probe.ExpectCompleteAsync();
            Assert.Equal(Enumerable.Range(1, 20), results.Select(r => r.PassThrough));
            Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
            await AwaitQueueCountAsync("blocked", 20);
        }
        finally
        {
            await Broker.SetMemoryHighWatermarkAsync(0.4);
        }
    }
}
