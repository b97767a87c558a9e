using System.Collections.Concurrent;
using ActorMq.Connection;
using ActorMq.TestKit.Broker;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Messaging;

/// <summary>
/// Faults of the broker link while publishing and consuming: every message id published is handled at least once,
/// none is missing. These stop the shared node, so they run alone.
/// </summary>
[Collection(BrokerFaultsCollection.Name)]
public sealed class LinkFaultsSpec(RabbitMqFixture broker, ITestOutputHelper output)
    : BrokerSpec(broker, output, "actormq.consumer-defaults { concurrency = 16, prefetch = 200 }"), IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task Nothing_is_lost_when_the_broker_stops_for_20_seconds_during_10k_messages()
    {
        var handled = new ConcurrentDictionary<string, int>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("outage", (o, _, _) =>
        {
            handled.AddOrUpdate(o.OrderId, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }));
        var ids = Enumerable.Range(1, 10_000).Select(i => $"outage-{i}").ToList();
        using var cts = new CancellationTokenSource(Dilated(TimeSpan.FromMinutes(4)));

        // The broker goes down after 2,000 messages and stays down for 20 s while the rest are being published.
        Task? restart = null;
        var sentDuringOutage = 0;
        await PublishAllAsync(client, "outage", ids, parallelism: 64, cts.Token, async i =>
        {
            if (restart is { IsCompleted: false }) sentDuringOutage++;
            if (i != 2_000) return;
            await Broker.StopBrokerAsync();
            restart = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(20));
                await Broker.StartBrokerAsync();
            });
        });
        await restart!;

        await AwaitConditionAsync(() => handled.Count == ids.Count, Dilated(TimeSpan.FromMinutes(2)),
            $"expected all {ids.Count} ids handled");
        // Sends handed to the publisher while the broker was down: only its own buffer carried them (the producer never retries).
        Assert.True(sentDuringOutage > 0, "no publish was made during the outage: the publisher's buffering was not tested");
        Assert.Equal(0, ids.Count(id => !handled.ContainsKey(id)));
        await AwaitAssertAsync(async () => Assert.Equal(LinkState.Connected, (await client.GetLinkStateAsync()).State), Dilated(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task The_link_is_back_soon_after_the_broker_even_when_the_backoff_would_wait_five_minutes()
    {
        var handled = new ConcurrentDictionary<string, int>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("prompt", (o, _, _) =>
        {
            handled.TryAdd(o.OrderId, 1);
            return Task.CompletedTask;
        }), "actormq.connection { min-backoff = 5m, max-backoff = 5m, random-factor = 0, probe-interval = 1s }");
        Sys.EventStream.Subscribe(TestActor, typeof(LinkStateChanged));

        await Broker.StopBrokerAsync();
        await FishForMessageAsync<LinkStateChanged>(s => s.State == LinkState.Connecting, Dilated(TimeSpan.FromSeconds(30)));
        await Broker.StartBrokerAsync();

        // The next backed-off attempt is five minutes away: only the TCP probe can bring the link back this soon.
        await FishForMessageAsync<LinkStateChanged>(s => s.State == LinkState.Connected, Dilated(TimeSpan.FromSeconds(30)));
        await client.SendAsync("prompt", new OrderPlaced("after-restart", 1));
        await AwaitConditionAsync(() => handled.ContainsKey("after-restart"), Dilated(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_broker_down_longer_than_max_outage_fails_the_link_and_publishes_fail_at_once_naming_why()
    {
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("outage-limit", (_, _, _) => Task.CompletedTask),
            "actormq.connection { max-outage = 3s, probe-interval = off }");
        Sys.EventStream.Subscribe(TestActor, typeof(LinkStateChanged));
        try
        {
            await Broker.StopBrokerAsync();

            var failed = await FishForMessageAsync<LinkStateChanged>(s => s.State == LinkState.Failed, Dilated(TimeSpan.FromSeconds(30)));
            Assert.Contains("max-outage", failed.Reason);
            var refused = await Assert.ThrowsAsync<PublishUnavailableException>(() => client.SendAsync("outage-limit", new OrderPlaced("late", 1)));
            Assert.Contains("max-outage", refused.Message);
        }
        finally
        {
            await Broker.StartBrokerAsync();
        }
        // Failed is final: the link does not come back by itself, and says so.
        Assert.Equal(LinkState.Failed, (await client.GetLinkStateAsync()).State);
    }

    [Fact]
    public async Task Deliveries_whose_handlers_never_finished_before_the_link_dropped_are_delivered_again()
    {
        // Handlers of the first deliveries wait at a gate; the link is cut under them; they then "die" (return without
        // recording, as a crashed process would). Were any of them acked before its handler finished, it would never come
        // back and the test would miss it: handled ids are recorded only when a handler completes alive.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dead = 1; // 1 while the first wave's handlers are the ones that will "die"
        var waiting = 0;
        var handled = new ConcurrentDictionary<string, int>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("early-ack", async (o, c, _) =>
        {
            if (Volatile.Read(ref dead) == 1 && !c.Redelivered)
            {
                Interlocked.Increment(ref waiting);
                await gate.Task;
                return; // died: never recorded
            }
            handled.AddOrUpdate(o.OrderId, 1, (_, n) => n + 1);
        }), "actormq.consumers.early-ack { concurrency = 8, prefetch = 20 }");
        Sys.EventStream.Subscribe(TestActor, typeof(LinkStateChanged));
        var ids = Enumerable.Range(1, 100).Select(i => $"early-{i}").ToList();
        using var cts = new CancellationTokenSource(Dilated(TimeSpan.FromMinutes(2)));
        await PublishAllAsync(client, "early-ack", ids, parallelism: 16, cts.Token);
        await AwaitConditionAsync(() => Volatile.Read(ref waiting) == 8, Dilated(TimeSpan.FromSeconds(30)));

        await Broker.CloseAllConnectionsAsync("cut under running handlers");
        await FishForMessageAsync<LinkStateChanged>(s => s.State == LinkState.Connecting, Dilated(TimeSpan.FromSeconds(30)));
        Volatile.Write(ref dead, 0);
        gate.SetResult();

        await AwaitConditionAsync(() => handled.Count == ids.Count, Dilated(TimeSpan.FromMinutes(1)),
            $"expected all {ids.Count} ids handled once their first handlers died");
        Assert.Equal(0, ids.Count(id => !handled.ContainsKey(id)));
    }

    [Fact]
    public async Task Nothing_is_lost_when_all_connections_are_closed_every_few_seconds()
    {
        var handled = new ConcurrentDictionary<string, int>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("flaky-link", async (o, _, t) =>
        {
            await Task.Delay(1, t);
            handled.AddOrUpdate(o.OrderId, 1, (_, n) => n + 1);
        }));
        var ids = Enumerable.Range(1, 10_000).Select(i => $"flaky-{i}").ToList();
        using var cts = new CancellationTokenSource(Dilated(TimeSpan.FromMinutes(4)));
        using var chaos = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var closes = 0;
        var closer = Task.Run(async () =>
        {
            while (!chaos.IsCancellationRequested && closes < 5)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), chaos.Token).ContinueWith(_ => { });
                if (chaos.IsCancellationRequested) break;
                await Broker.CloseAllConnectionsAsync("chaos");
                closes++;
            }
        });

        // Spread the publishing over several seconds so the closes hit a running flow.
        await PublishAllAsync(client, "flaky-link", ids, parallelism: 16, cts.Token,
            i => i % 1_000 == 999 ? Task.Delay(TimeSpan.FromSeconds(1), cts.Token) : Task.CompletedTask);
        await AwaitConditionAsync(() => handled.Count == ids.Count, Dilated(TimeSpan.FromMinutes(2)),
            $"expected all {ids.Count} ids handled");
        chaos.Cancel();
        await closer;
        Assert.True(closes >= 2, $"the connections were closed {closes} times during the run: too few to test anything");
        Assert.Equal(0, ids.Count(id => !handled.ContainsKey(id)));
    }

    [Fact]
    public async Task Publishers_blocked_by_a_memory_alarm_resume_without_loss()
    {
        var handled = new ConcurrentDictionary<string, int>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("alarm", (o, _, _) =>
        {
            handled.AddOrUpdate(o.OrderId, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }));
        var ids = Enumerable.Range(1, 200).Select(i => $"alarm-{i}").ToList();
        try
        {
            await Broker.SetMemoryHighWatermarkAsync(0.0000001);
            using var cts = new CancellationTokenSource(Dilated(TimeSpan.FromMinutes(2)));
            var publishing = PublishAllAsync(client, "alarm", ids, parallelism: 50, cts.Token);
            await AwaitAssertAsync(async () => Assert.Equal(LinkState.Blocked, (await client.GetLinkStateAsync()).State),
                Dilated(TimeSpan.FromSeconds(30)));
            Assert.False(publishing.IsCompleted);

            await Broker.SetMemoryHighWatermarkAsync(0.4);
            await publishing;
        }
        finally
        {
            await Broker.SetMemoryHighWatermarkAsync(0.4);
        }
        await AwaitConditionAsync(() => handled.Count == ids.Count, Dilated(TimeSpan.FromMinutes(1)));
        await AwaitAssertAsync(async () => Assert.Equal(LinkState.Connected, (await client.GetLinkStateAsync()).State), Dilated(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_confirm_that_never_comes_is_retried_then_fails_with_PublishConfirmTimeoutException_and_the_link_outlives_the_freeze()
    {
        // The broker's VM is really stopped (SIGSTOP): the socket stays open and takes the publish, nothing answers. The
        // heartbeat (30 s) outlives the freeze, so only the confirm timeout can notice.
        var client = await StartAsync(_ => { }, """
            actormq.publisher { confirm-timeout = 500ms, retry { min-backoff = 100ms, max-backoff = 200ms, max-retries = 2 } }
            """);
        await DeclareQueueAsync("frozen");
        await client.SendAsync("frozen", new OrderPlaced("before", 1m));
        var pid = BrokerPid();

        PublishConfirmTimeoutException timedOut;
        var frozenAt = System.Diagnostics.Stopwatch.StartNew();
        await SignalAsync(pid, "STOP");
        try
        {
            timedOut = await Assert.ThrowsAsync<PublishConfirmTimeoutException>(() =>
                client.SendAsync("frozen", new OrderPlaced("during", 1m), new PublishOptions { MessageId = "during" }).WaitAsync(Dilated(TimeSpan.FromSeconds(30))));
        }
        finally
        {
            await SignalAsync(pid, "CONT");
        }

        // Three attempts of 500 ms each and two short backoffs: well before the heartbeat would have noticed.
        Assert.True(frozenAt.Elapsed < TimeSpan.FromSeconds(15), $"the timeout took {frozenAt.Elapsed}");
        Assert.Contains("frozen", timedOut.Message);
        // "May or may not have been published": the writes were in the socket, and the thawed broker took them (at least once).
        await AwaitAssertAsync(async () => Assert.True(await Broker.CountMessagesAsync("frozen") >= 2), Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(LinkState.Connected, (await client.GetLinkStateAsync()).State);
        await client.SendAsync("frozen", new OrderPlaced("after", 1m)).WaitAsync(Dilated(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_delivery_held_past_the_brokers_consumer_timeout_closes_only_the_channel_and_comes_again_on_a_new_one()
    {
        // RabbitMQ closes a channel (PRECONDITION_FAILED, "delivery acknowledgement timed out") whose delivery stays unacked
        // longer than consumer_timeout (30 min by default; ActorMq's retry.settle-hold stays under it). Here 2 s, checked
        // every second; channels read both when they open, so they are set before ActorMq starts.
        await Broker.RabbitMqCtlAsync("eval", "application:set_env(rabbit, consumer_timeout, 2000), application:set_env(rabbit, channel_tick_interval, 1000).");
        try
        {
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var deliveries = new ConcurrentQueue<(string Id, bool Redelivered)>();
            var client = await StartAsync(b => b.AddHandler<OrderPlaced>("held", async (o, context, _) =>
            {
                deliveries.Enqueue((o.OrderId, context.Redelivered));
                if (!context.Redelivered) await release.Task; // the first delivery is held far past the timeout
            }), "actormq.consumers.held.handler-timeout = 10m");
            Sys.EventStream.Subscribe(TestActor, typeof(LinkStateChanged));

            await client.SendAsync("held", new OrderPlaced("held-1", 1m));

            await AwaitConditionAsync(() => deliveries.Count >= 2, Dilated(TimeSpan.FromSeconds(60)),
                "the held delivery never came again: the broker did not time it out, or ActorMq did not reopen its channel");
            Assert.Equal([("held-1", false), ("held-1", true)], deliveries.Take(2));
            // Only the channel went: the connection stayed up all along.
            Assert.Equal(LinkState.Connected, (await client.GetLinkStateAsync()).State);
            Assert.False(HasMessages, "the link changed state while only the channel should have gone");
            // The redelivered copy was handled and acked on the new channel; the first handler finishing late acks nothing.
            await AwaitAssertAsync(async () => Assert.Equal(0, await Broker.CountMessagesAsync("held")), Dilated(TimeSpan.FromSeconds(30)));
            release.TrySetResult();
            await client.SendAsync("held", new OrderPlaced("held-2", 1m));
            await AwaitConditionAsync(() => deliveries.Any(d => d.Id == "held-2"), Dilated(TimeSpan.FromSeconds(30)));
            await AwaitAssertAsync(async () => Assert.Equal(0, await Broker.CountMessagesAsync("held")), Dilated(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            await Broker.RabbitMqCtlAsync("eval", "application:set_env(rabbit, consumer_timeout, 1800000), application:set_env(rabbit, channel_tick_interval, 60000).");
        }
    }

    [Fact]
    public async Task With_the_broker_down_a_full_publish_buffer_refuses_at_once_and_what_it_holds_is_published_when_the_broker_is_back()
    {
        var client = await StartAsync(_ => { }, "actormq.publisher.buffer-size = 10");
        await DeclareQueueAsync("pressure");
        List<Task<ActorMq.Publishing.Published>> sends;
        await Broker.StopBrokerAsync();
        try
        {
            await AwaitAssertAsync(async () => Assert.NotEqual(LinkState.Connected, (await client.GetLinkStateAsync()).State), Dilated(TimeSpan.FromSeconds(30)));
            sends = Enumerable.Range(1, 15).Select(i => client.SendAsync("pressure", new OrderPlaced($"p-{i}", 1m))).ToList();

            // The five beyond the buffer fail at once, naming why; the ten in it wait for the broker.
            var refused = await Task.WhenAll(sends.Skip(10).Select(s => Assert.ThrowsAsync<BackPressureException>(() => s.WaitAsync(Dilated(TimeSpan.FromSeconds(10))))));
            Assert.All(refused, e => Assert.Contains("link is down", e.Message));
            Assert.All(sends.Take(10), s => Assert.False(s.IsCompleted));
        }
        finally
        {
            await Broker.StartBrokerAsync();
        }
        await Task.WhenAll(sends.Take(10)).WaitAsync(Dilated(TimeSpan.FromSeconds(60)));
        await AwaitAssertAsync(async () => Assert.Equal(10, await Broker.CountMessagesAsync("pressure")), Dilated(TimeSpan.FromSeconds(30)));
    }

    private async Task DeclareQueueAsync(string queue)
    {
        await using var connection = await Broker.CreateConnectionFactory("declare").CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
    }

    /// <summary>The pid of the private node's Erlang VM (the pid file build.sh has it write).</summary>
    private static int BrokerPid()
    {
        var home = Environment.GetEnvironmentVariable("ACTORMQ_TEST_RABBIT_HOME")
            ?? throw new InvalidOperationException("this test stops the broker's process: it needs the private node ./build.sh test starts (ACTORMQ_TEST_RABBIT_HOME)");
        return int.Parse(File.ReadAllText(Path.Combine(home, "rabbit.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task SignalAsync(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }
}
