using System.Collections.Concurrent;
using System.Diagnostics;
using ActorMq.DeadStore;
using ActorMq.TestKit.Broker;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Messaging;

/// <summary>
/// Behaviour that unit tests show with fakes, shown again on the real broker: quorum queues end to end, a retry copy the
/// broker nacks, delayed publish to a named exchange, replay to the original exchange, failover to a later endpoint.
/// </summary>
public sealed class BrokerCoverageSpec(RabbitMqFixture broker, ITestOutputHelper output)
    : BrokerSpec(broker, output, "actormq.consumer-defaults.retry { delays = [200ms], max-attempts = 3 }"), IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task A_quorum_queue_consumes_retries_through_a_quorum_tier_and_dead_letters_after_the_last_attempt()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        var attempts = new ConcurrentQueue<(string Id, int Attempt)>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("quorum-orders", (o, c, _) =>
            {
                attempts.Enqueue((o.OrderId, c.Attempt));
                return o.OrderId == "q-bad" || c.Attempt == 1 ? throw new InvalidOperationException("stock service busy") : Task.CompletedTask;
            }),
            "actormq.consumers.quorum-orders { queue-type = quorum, delivery-limit = 10 }");

        await client.SendAsync("quorum-orders", new OrderPlaced("q-ok", 1));
        await client.SendAsync("quorum-orders", new OrderPlaced("q-bad", 1), new PublishOptions { MessageId = "q-bad" });

        var dead = await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(("q-bad", 3), (dead.MessageId, dead.Attempts));
        await AwaitConditionAsync(() => attempts.Contains(("q-ok", 2)), Dilated(TimeSpan.FromSeconds(30)));
        var queues = await Broker.RabbitMqCtlAsync("list_queues", "-p", Broker.VirtualHost, "--no-table-headers", "name", "type", "arguments");
        var lines = queues.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var work = Assert.Single(lines, l => l.StartsWith("quorum-orders\t", StringComparison.Ordinal));
        Assert.Contains("quorum", work);
        Assert.Contains("x-delivery-limit", work);
        // The tier dead-letters at least once: a copy expiring while its leader moves or its work queue is missing is kept.
        var tier = Assert.Single(lines, l => l.StartsWith("quorum-orders.retry.200ms\t", StringComparison.Ordinal));
        Assert.Contains("quorum", tier);
        Assert.Contains("at-least-once", tier);
        Assert.Contains("reject-publish", tier);
        await AwaitAssertAsync(async () => Assert.Equal(0, await Broker.CountMessagesAsync("quorum-orders")), Dilated(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_retry_copy_the_broker_nacks_leaves_the_delivery_unacked_and_uncounted_until_the_tier_takes_it()
    {
        // A policy (not a declaration argument, so ActorMq's own declarations still match) makes the tier refuse every
        // publish: the broker nacks the retry copy.
        await Broker.RabbitMqCtlAsync("set_policy", "-p", Broker.VirtualHost, "--apply-to", "queues", "refuse-tier",
            @"^refusing\.retry\.", """{"max-length":0,"overflow":"reject-publish"}""");
        var attempts = new ConcurrentQueue<int>();
        try
        {
            var client = await StartAsync(b => b.AddHandler<OrderPlaced>("refusing", (_, c, _) =>
                {
                    attempts.Enqueue(c.Attempt);
                    return c.Attempt == 1 ? throw new InvalidOperationException("first try fails") : Task.CompletedTask;
                }),
                "actormq.retry.requeue-backoff { min-backoff = 100ms, max-backoff = 300ms }");

            await client.SendAsync("refusing", new OrderPlaced("n-1", 1));
            await AwaitConditionAsync(() => Logs.Since(0).Count(e => e.Message.Contains("settles its failure again")) >= 3, Dilated(TimeSpan.FromSeconds(30)));
            Assert.Equal(1, await Broker.CountMessagesAsync("refusing")); // still on the broker, unacked
            Assert.Equal([1], attempts); // held, not redelivered: the attempt was not counted
            Assert.Equal(0, client.GetStatistics().Retried);
        }
        finally
        {
            await Broker.RabbitMqCtlAsync("clear_policy", "-p", Broker.VirtualHost, "refuse-tier");
        }

        await AwaitConditionAsync(() => attempts.Contains(2), Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal([1, 2], attempts);
        await AwaitAssertAsync(async () => Assert.Equal(0, await Broker.CountMessagesAsync("refusing")), Dilated(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task What_the_broker_dead_letters_from_a_work_queue_lands_in_its_parked_queue_and_then_the_dead_store()
    {
        // The broker's own dead-lettering, caused for real: a max-length policy dropping the head of the queue while the
        // only handler is busy. Without a parked queue those messages would be gone.
        await Broker.RabbitMqCtlAsync("set_policy", "-p", Broker.VirtualHost, "--apply-to", "queues", "tiny-parking",
            "^parking$", """{"max-length":1,"overflow":"drop-head"}""");
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = new ConcurrentQueue<string>();
        try
        {
            var client = await StartAsync(b => b.AddHandler<OrderPlaced>("parking", async (o, _, _) =>
                {
                    await gate.Task;
                    handled.Enqueue(o.OrderId);
                }),
                "actormq.consumers.parking { concurrency = 1, prefetch = 1 }");
            await client.SendAsync("parking", new OrderPlaced("p-0", 1), new PublishOptions { MessageId = "p-0" });
            await AwaitAssertAsync(async () => Assert.Equal(1, await Broker.CountMessagesAsync("parking")), Dilated(TimeSpan.FromSeconds(30)));
            foreach (var i in Enumerable.Range(1, 4))
                await client.SendAsync("parking", new OrderPlaced($"p-{i}", 1), new PublishOptions { MessageId = $"p-{i}" });

            // p-1..p-3 were dropped from the head by the broker: dead-lettered into parking.parked, then stored.
            var dead = new List<MessageDeadLettered>();
            for (var i = 0; i < 3; i++) dead.Add(await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30))));
            Assert.Equal(["p-1", "p-2", "p-3"], dead.Select(d => d.MessageId).Order());
            Assert.All(dead, d => Assert.Equal("ActorMq.Consuming.BrokerDeadLetteredException", d.ErrorType));
            var letter = (await client.DeadLetterStore.GetAsync(dead[0].Id))!.Letter;
            Assert.Equal(("parking", "", "parking"), (letter.Queue, letter.Exchange, letter.RoutingKey));
            Assert.Contains("reason maxlen", letter.ErrorMessage);
            await AwaitAssertAsync(async () => Assert.Equal(0, await Broker.CountMessagesAsync("parking.parked")), Dilated(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            gate.TrySetResult();
            await Broker.RabbitMqCtlAsync("clear_policy", "-p", Broker.VirtualHost, "tiny-parking");
        }
        await AwaitConditionAsync(() => handled.Contains("p-0") && handled.Contains("p-4"), Dilated(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_delayed_publish_to_a_named_exchange_arrives_through_its_binding_after_the_delay()
    {
        var clock = Stopwatch.StartNew();
        var arrived = new ConcurrentDictionary<string, long>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("invoices", (o, _, _) =>
            {
                arrived[o.OrderId] = clock.ElapsedMilliseconds;
                return Task.CompletedTask;
            }),
            """
            actormq.retry.delayed-publish.tiers = [1s, 5s]
            actormq.subscriptions.invoices { exchange = billing-events, type = direct, group = invoices, binding-keys = ["invoice.due"] }
            """);

        var sent = clock.ElapsedMilliseconds;
        await client.PublishAsync("billing-events", "invoice.due", new OrderPlaced("inv-1", 1), new PublishOptions { Delay = TimeSpan.FromSeconds(1) });
        await client.PublishAsync("billing-events", "invoice.other", new OrderPlaced("inv-unbound", 1), new PublishOptions { Delay = TimeSpan.FromSeconds(1) });

        await AwaitConditionAsync(() => arrived.ContainsKey("inv-1"), Dilated(TimeSpan.FromSeconds(30)));
        Assert.True(arrived["inv-1"] - sent >= 1000, $"arrived after {arrived["inv-1"] - sent} ms, before its 1 s delay");
        Assert.False(arrived.ContainsKey("inv-unbound")); // the delay queue kept the routing key: no binding, no delivery
        var queues = await Broker.RabbitMqCtlAsync("list_queues", "-p", Broker.VirtualHost, "--no-table-headers", "name");
        Assert.Contains("billing-events.delay.1s", queues.Split('\n', StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task A_replay_to_the_original_exchange_goes_through_its_routing_key_again()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        var broken = true;
        var handled = new ConcurrentQueue<string>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("refund-requests", (o, _, _) =>
            {
                if (Volatile.Read(ref broken)) throw new PermanentFailureException("refunds are closed");
                handled.Enqueue(o.OrderId);
                return Task.CompletedTask;
            }),
            """actormq.subscriptions.refund-requests { exchange = refund-events, type = topic, group = refund-requests, binding-keys = ["refund.#"] }""");

        await client.PublishAsync("refund-events", "refund.requested", new OrderPlaced("rf-1", 1), new PublishOptions { MessageId = "rf-1" });
        var dead = await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30)));
        var letter = (await client.DeadLetterStore.GetAsync(dead.Id))!.Letter;
        Assert.Equal(("refund-events", "refund.requested", "refund-events.refund-requests"), (letter.Exchange, letter.RoutingKey, letter.Queue));
        Volatile.Write(ref broken, false);

        var result = await client.ReplayDeadLettersAsync(DeadLetterFilter.ById(dead.Id), new ReplayOptions { ToOriginalExchange = true });

        Assert.Equal(1, result.Replayed);
        await AwaitConditionAsync(() => handled.Contains("rf-1"), Dilated(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task With_the_first_endpoint_refusing_connections_the_link_comes_up_on_the_next()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // a port nothing listens on: connections are refused
        var handled = new ConcurrentQueue<string>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("failover", (o, _, _) =>
            {
                handled.Enqueue(o.OrderId);
                return Task.CompletedTask;
            }),
            $$"""actormq.connection.uris = ["amqp://guest:guest@127.0.0.1:{{closedPort}}{{Broker.AmqpUri.AbsolutePath}}", "{{Broker.AmqpUri}}"]""");

        var link = await client.GetLinkStateAsync();
        Assert.Equal(Connection.LinkState.Connected, link.State);
        Assert.Contains($":{Broker.AmqpUri.Port}", link.Endpoint);
        await client.SendAsync("failover", new OrderPlaced("f-1", 1));
        await AwaitConditionAsync(() => handled.Contains("f-1"), Dilated(TimeSpan.FromSeconds(30)));
    }
}
