using System.Collections.Concurrent;
using ActorMq.Consuming;
using ActorMq.TestKit.Broker;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Messaging;

/// <summary>
/// The consumer's circuit breaker on the real broker: while the handler's downstream is down the queue is paused and what
/// the consumer holds waits unacked, so an outage produces no retry copies, no dead letters and no redeliveries.
/// </summary>
public sealed class CircuitBreakerSpec(RabbitMqFixture broker, ITestOutputHelper output) : BrokerSpec(broker, output, """
    actormq.consumer-defaults {
      queue-type = quorum
      retry { delays = [200ms], max-attempts = 3 }
      circuit-breaker { enabled = on, max-failures = 3, within = 10s, reset-timeout = 2s, max-reset-timeout = 8s }
    }
    """), IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task A_downstream_down_for_30_seconds_under_steady_load_loses_nothing_retries_nothing_and_dead_letters_nothing()
    {
        var down = false;
        var handled = new ConcurrentDictionary<string, int>();
        var deliveryCounts = new ConcurrentBag<object?>();
        var states = new ConcurrentQueue<BreakerState>();
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe, typeof(ConsumerBreakerChanged));
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("payments", (order, context, _) =>
        {
            if (Volatile.Read(ref down)) throw new InvalidOperationException("the payment service does not answer");
            handled.AddOrUpdate(order.OrderId, 1, (_, n) => n + 1);
            if (context.Headers.TryGetValue("x-delivery-count", out var count)) deliveryCounts.Add(count);
            return Task.CompletedTask;
        }));

        // Steady load: 40 messages a second for 50 seconds; the downstream is down from second 10 to second 40.
        var ids = Enumerable.Range(1, 2_000).Select(i => $"pay-{i}").ToList();
        using var load = new CancellationTokenSource(Dilated(TimeSpan.FromMinutes(3)));
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(25));
        var publishing = PublishAllAsync(client, "payments", ids, parallelism: 64, load.Token, afterEach: async i =>
        {
            await pace.WaitForNextTickAsync(load.Token);
            if (i == 400) Volatile.Write(ref down, true);
            if (i == 1_600) Volatile.Write(ref down, false);
        });

        var opened = await probe.FishForMessageAsync<ConsumerBreakerChanged>(c => c.State == BreakerState.Open, Dilated(TimeSpan.FromSeconds(60)));
        Assert.Equal("payments", opened.Consumer);
        var status = (await client.GetConsumersAsync()).Single(c => c.Consumer == "payments");
        Assert.NotEqual(BreakerState.Closed, status.Breaker);
        await probe.FishForMessageAsync<ConsumerBreakerChanged>(c => c.State == BreakerState.HalfOpen, Dilated(TimeSpan.FromSeconds(30)));
        await publishing;
        await probe.FishForMessageAsync<ConsumerBreakerChanged>(c => c.State == BreakerState.Closed, Dilated(TimeSpan.FromSeconds(60)));

        await AwaitConditionAsync(() => handled.Count == ids.Count, Dilated(TimeSpan.FromSeconds(90)));
        Assert.All(handled.Values, n => Assert.Equal(1, n));
        var statistics = client.GetStatistics();
        Assert.True(statistics.Failed > 0, "the outage must have been seen by the handler");
        Assert.Equal(0, statistics.Retried);
        Assert.Equal(0, statistics.DeadLettered);
        // Nothing went back to the quorum queue: no delivery carried a delivery count.
        Assert.Empty(deliveryCounts);
        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(0, await Broker.CountMessagesAsync("payments"));
            Assert.Equal(0, await Broker.CountMessagesAsync("payments.retry.200ms"));
        }, Dilated(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task DownstreamUnavailableException_opens_the_breaker_at_once_and_a_probe_closes_it_when_the_downstream_is_back()
    {
        var available = false;
        var handled = new ConcurrentQueue<string>();
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe, typeof(ConsumerBreakerChanged));
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("ledger", (order, _, _) =>
        {
            if (!Volatile.Read(ref available)) throw new DownstreamUnavailableException("the ledger database is in maintenance");
            handled.Enqueue(order.OrderId);
            return Task.CompletedTask;
        }));

        await client.SendAsync("ledger", new OrderPlaced("l-1", 1m));
        var opened = await probe.FishForMessageAsync<ConsumerBreakerChanged>(c => c.Consumer == "ledger", Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(BreakerState.Open, opened.State); // the first failure opened it
        Assert.Equal(1, opened.Held);
        for (var i = 2; i <= 20; i++) await client.SendAsync("ledger", new OrderPlaced($"l-{i}", 1m));
        // A failed probe opens it again.
        await probe.FishForMessageAsync<ConsumerBreakerChanged>(c => c.State == BreakerState.HalfOpen, Dilated(TimeSpan.FromSeconds(30)));
        await probe.FishForMessageAsync<ConsumerBreakerChanged>(c => c.State == BreakerState.Open, Dilated(TimeSpan.FromSeconds(30)));
        Volatile.Write(ref available, true);

        await probe.FishForMessageAsync<ConsumerBreakerChanged>(c => c.State == BreakerState.Closed, Dilated(TimeSpan.FromSeconds(60)));
        await AwaitConditionAsync(() => handled.Count == 20, Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(20, handled.Distinct().Count());
        Assert.Equal(0, client.GetStatistics().Retried);
        Assert.Equal(0, client.GetStatistics().DeadLettered);
    }

    [Fact]
    public async Task Deliveries_held_longer_than_max_hold_go_back_to_the_queue_before_the_brokers_consumer_timeout()
    {
        var available = false;
        var handled = new ConcurrentDictionary<string, object?>();
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe, typeof(ConsumerBreakerChanged));
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("invoices", (order, context, _) =>
        {
            if (!Volatile.Read(ref available)) throw new DownstreamUnavailableException("the invoice printer is offline");
            handled[order.OrderId] = context.Headers.TryGetValue("x-delivery-count", out var count) ? count : null;
            return Task.CompletedTask;
        }), "actormq.consumers.invoices.circuit-breaker { reset-timeout = 30s, max-reset-timeout = 60s, max-hold = 1s }");

        for (var i = 1; i <= 5; i++) await client.SendAsync("invoices", new OrderPlaced($"i-{i}", 1m));
        await probe.FishForMessageAsync<ConsumerBreakerChanged>(c => c.State == BreakerState.Open, Dilated(TimeSpan.FromSeconds(30)));

        // Held past max-hold: given back (nack with requeue) while the breaker is still open, so they wait ready in the queue.
        await AwaitAssertAsync(async () => Assert.Equal(5, await Broker.CountMessagesAsync("invoices")), Dilated(TimeSpan.FromSeconds(20)));
        Assert.Equal(BreakerState.Open, (await client.GetConsumersAsync()).Single(c => c.Consumer == "invoices").Breaker);
        Assert.Empty(handled);

        Volatile.Write(ref available, true);
        await probe.FishForMessageAsync<ConsumerBreakerChanged>(c => c.State == BreakerState.Closed, Dilated(TimeSpan.FromSeconds(60)));
        await AwaitConditionAsync(() => handled.Count == 5, Dilated(TimeSpan.FromSeconds(30)));
        // Giving them back is the one thing that spends a quorum queue's delivery count: at most once each (those the broker
        // had not delivered yet when the consumer paused were never held).
        var counts = handled.Values.Select(c => c is null ? 0 : Convert.ToInt64(c, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(counts, count => Assert.InRange(count, 0, 1));
        Assert.Contains(1L, counts);
        Assert.Equal(0, client.GetStatistics().Retried);
        Assert.Equal(0, client.GetStatistics().DeadLettered);
    }
}
