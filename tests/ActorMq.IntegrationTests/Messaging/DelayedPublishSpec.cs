using System.Collections.Concurrent;
using System.Diagnostics;
using ActorMq.TestKit.Broker;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Messaging;

/// <summary>
/// Delayed publishing through per-delay TTL queues: never earlier than the delay, and held for the effective delay's queue
/// only (the broker expires a queue's head promptly, but a loaded test machine adds seconds, so the upper bound only has to
/// tell the effective tier from the next one: 2 s from 5 s).
/// </summary>
public sealed class DelayedPublishSpec(RabbitMqFixture broker, ITestOutputHelper output)
    : BrokerSpec(broker, output, "actormq.retry.delayed-publish.tiers = [1s, 2s, 5s]"), IClassFixture<RabbitMqFixture>
{
    [Theory]
    [InlineData("tiers", 1500, 2000)]
    [InlineData("exact", 1500, 1500)]
    public async Task A_delayed_message_arrives_no_earlier_than_its_delay_and_well_before_the_next_tier(string mode, int delayMs, int effectiveMs)
    {
        var arrivals = new ConcurrentDictionary<string, long>();
        var clock = Stopwatch.StartNew();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>($"reminders-{mode}", (o, _, _) =>
        {
            arrivals[o.OrderId] = clock.ElapsedMilliseconds;
            return Task.CompletedTask;
        }), $"actormq.retry.delayed-publish.mode = {mode}");

        var sent = new Dictionary<string, long>();
        foreach (var id in new[] { "d-1", "d-2", "d-3" })
        {
            sent[id] = clock.ElapsedMilliseconds;
            await client.SendAsync($"reminders-{mode}", new OrderPlaced(id, 1), new PublishOptions { Delay = TimeSpan.FromMilliseconds(delayMs) });
        }
        await client.SendAsync($"reminders-{mode}", new OrderPlaced("now", 1));

        await AwaitConditionAsync(() => arrivals.Count == 4, Dilated(TimeSpan.FromSeconds(30)));
        Assert.True(arrivals["now"] < arrivals["d-1"]);
        foreach (var (id, at) in sent)
        {
            var waited = arrivals[id] - at;
            Assert.True(waited >= effectiveMs, $"{id} arrived after {waited} ms, before its delay of {effectiveMs} ms");
            var bound = effectiveMs + Dilated(TimeSpan.FromMilliseconds(2900)).TotalMilliseconds;
            Assert.True(waited < bound, $"{id} arrived after {waited} ms: held longer than its {effectiveMs} ms delay queue (bound {bound:0} ms with the test time factor)");
        }
        var queues = await Broker.RabbitMqCtlAsync("list_queues", "-p", Broker.VirtualHost, "--no-table-headers", "name");
        // One queue per (exchange, delay): the default exchange's delay queue for exactly the effective delay.
        Assert.Contains($"default.delay.{Topology.DelayName.Format(TimeSpan.FromMilliseconds(effectiveMs))}", queues.Split('\n', StringSplitOptions.TrimEntries));
    }
}
