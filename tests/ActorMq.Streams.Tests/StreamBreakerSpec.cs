using System.Collections.Concurrent;
using ActorMq.Consuming;
using ActorMq.TestKit.Broker;
using Akka.Streams.Dsl;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.Streams.Tests;

/// <summary>
/// The consumer circuit breaker on a committable source, against the real broker: while the stream's downstream is down
/// the source stops taking deliveries and holds what failed unacked, so an outage makes no retry copy and no dead letter.
/// </summary>
public sealed class StreamBreakerSpec(RabbitMqFixture broker, ITestOutputHelper output) : StreamSpec(broker, output, """
    actormq.consumer-defaults {
      queue-type = quorum
      retry { delays = [200ms], max-attempts = 3 }
      circuit-breaker { enabled = on, max-failures = 3, within = 10s, reset-timeout = 1s, max-reset-timeout = 3s }
    }
    """)
{
    [Fact]
    public async Task A_downstream_down_for_seconds_under_steady_flow_retries_nothing_dead_letters_nothing_and_handles_all_after_it_returns()
    {
        var down = false;
        var handled = new ConcurrentDictionary<string, int>();
        var deliveryCounts = new ConcurrentBag<object?>();
        var outcomes = new ConcurrentBag<SettleOutcome>();
        var breaker = CreateTestProbe();
        Sys.EventStream.Subscribe(breaker, typeof(ConsumerBreakerChanged));
        var client = await StartAsync(b => b.AddCommittableSource("charges"));

        var (control, done) = ActorMqSource.Committable<Order>(client, "charges")
            .SelectAsync(16, async delivery =>
            {
                if (Volatile.Read(ref down))
                {
                    var failed = await delivery.FailAsync(new HttpRequestException("the payment gateway does not answer"));
                    outcomes.Add(failed);
                    return failed;
                }
                handled.AddOrUpdate(delivery.Message.OrderId, 1, (_, n) => n + 1);
                if (delivery.Context.Headers.TryGetValue("x-delivery-count", out var count)) deliveryCounts.Add(count);
                var acked = await delivery.AckAsync();
                outcomes.Add(acked);
                return acked;
            })
            .ToMaterialized(Sink.Ignore<SettleOutcome>(), Keep.Both)
            .Run(Materializer);

        // Steady flow: 40 messages a second for 15 seconds; the downstream is down from second 2.5 to second 10.
        var ids = Enumerable.Range(1, 600).Select(i => $"c-{i}").ToList();
        using var load = new CancellationTokenSource(Dilated(TimeSpan.FromMinutes(1)));
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(25));
        var publishing = Task.Run(async () =>
        {
            for (var i = 0; i < ids.Count; i++)
            {
                await client.SendAsync("charges", new Order(ids[i], 1m), new PublishOptions { MessageId = ids[i] }, load.Token);
                await pace.WaitForNextTickAsync(load.Token);
                if (i == 100) Volatile.Write(ref down, true);
                if (i == 400) Volatile.Write(ref down, false);
            }
        });

        var opened = await breaker.FishForMessageAsync<ConsumerBreakerChanged>(c => c.State == BreakerState.Open, Dilated(TimeSpan.FromSeconds(20)));
        Assert.Equal(("charges", "charges"), (opened.Consumer, opened.Queue));
        await breaker.FishForMessageAsync<ConsumerBreakerChanged>(c => c.State == BreakerState.HalfOpen, Dilated(TimeSpan.FromSeconds(10)));
        await publishing;
        await breaker.FishForMessageAsync<ConsumerBreakerChanged>(c => c.State == BreakerState.Closed, Dilated(TimeSpan.FromSeconds(20)));

        await AwaitConditionAsync(() => handled.Count == ids.Count, Dilated(TimeSpan.FromSeconds(20)));
        Assert.All(handled.Values, n => Assert.Equal(1, n));
        Assert.Contains(SettleOutcome.HeldByBreaker, outcomes); // the outage was seen by the stream
        Assert.DoesNotContain(SettleOutcome.Retried, outcomes);
        Assert.DoesNotContain(SettleOutcome.DeadLettered, outcomes);
        Assert.DoesNotContain(SettleOutcome.Requeued, outcomes);
        var statistics = client.GetStatistics();
        Assert.True(statistics.Failed > 0, "the failures were counted");
        Assert.Equal(0, statistics.Retried);
        Assert.Equal(0, statistics.DeadLettered);
        // Held, not given back: the source never nacks a held delivery, so at most the odd delivery the broker itself had on its
        // way to the channel when a basic.cancel landed comes back with a quorum queue's delivery count (seen once in 600).
        Assert.True(deliveryCounts.Count <= 3, $"{deliveryCounts.Count} deliveries came back with a delivery count");
        await AwaitQueueCountAsync("charges", 0);
        Assert.Equal(0, await Broker.CountMessagesAsync("charges.retry.200ms"));

        await control.DrainAndShutdownAsync(done);
    }
}
