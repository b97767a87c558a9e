using System.Collections.Concurrent;
using ActorMq.DeadStore;
using ActorMq.TestKit.Broker;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.Streams.Tests;

/// <summary>The committable source against the real broker: settling, retries, the dead store, demand, stop, drain and cancellation.</summary>
public sealed class CommittableSourceSpec(RabbitMqFixture broker, ITestOutputHelper output)
    : StreamSpec(broker, output, "actormq.consumer-defaults { drain-timeout = 2s, retry { delays = [200ms, 400ms], max-attempts = 3 } }")
{
    private static IEnumerable<string> Ids(string prefix, int count) => Enumerable.Range(1, count).Select(i => $"{prefix}-{i}");

    [Fact]
    public async Task Acked_deliveries_carry_message_and_context_and_leave_the_queue()
    {
        var client = await StartAsync(b => b.AddCommittableSource("acks"));
        await SendAllAsync(client, "acks", Ids("a", 20));

        var (control, probe) = ActorMqSource.Committable<Order>(client, "acks")
            .ToMaterialized(this.SinkProbe<CommittableDelivery<Order>>(), Keep.Both).Run(Materializer);
        probe.Request(20);
        var elements = new List<CommittableDelivery<Order>>();
        for (var i = 0; i < 20; i++) elements.Add(await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20))));

        Assert.Equal(Ids("a", 20).ToHashSet(), elements.Select(e => e.Message.OrderId).ToHashSet());
        Assert.All(elements, e =>
        {
            Assert.Equal(e.Message.OrderId, e.Context.MessageId);
            Assert.Equal(("acks", "acks", 1), (e.Context.Queue, e.Context.Consumer, e.Context.Attempt));
        });
        Assert.Equal(20, await Broker.CountMessagesAsync("acks")); // unacked until settled
        var outcomes = await Task.WhenAll(elements.Select(e => e.AckAsync()));
        Assert.All(outcomes, o => Assert.Equal(SettleOutcome.Acked, o));
        await AwaitQueueCountAsync("acks", 0);

        await control.ShutdownAsync();
        await probe.ExpectCompleteAsync();
        await AwaitQueueCountAsync("acks", 0); // nothing came back when the channel closed: the acks were real
    }

    [Fact]
    public async Task A_replayed_copy_acked_by_the_stream_resolves_its_dead_letter()
    {
        var client = await StartAsync(b => b.AddCommittableSource("stream-replays"));
        await SendAllAsync(client, "stream-replays", ["s-1"]);
        var (control, probe) = ActorMqSource.Committable<Order>(client, "stream-replays")
            .ToMaterialized(this.SinkProbe<CommittableDelivery<Order>>(), Keep.Both).Run(Materializer);
        probe.Request(2);
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        await (await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20)))).RejectAsync(permanent: true, "bad order");
        var dead = await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30)));

        Assert.Equal(1, (await client.ReplayDeadLettersAsync(DeadLetterFilter.ById(dead.Id))).Replayed);
        var copy = await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20)));
        Assert.Equal("s-1", copy.Message.OrderId);
        Assert.Equal(SettleOutcome.Acked, await copy.AckAsync());

        await AwaitAssertAsync(async () => Assert.Equal(DeadLetterState.Resolved, (await client.DeadLetterStore.GetAsync(dead.Id))!.State),
            Dilated(TimeSpan.FromSeconds(30)));
        await control.ShutdownAsync();
    }

    [Fact]
    public async Task What_the_broker_dead_letters_from_the_sources_queue_goes_to_the_dead_store_not_into_the_stream()
    {
        // A max-length drop-head policy really makes the broker dead-letter the head of the queue while the stream holds
        // its one element: those go to stream-parking.parked, and the source moves them into the dead store.
        await Broker.RabbitMqCtlAsync("set_policy", "-p", Broker.VirtualHost, "--apply-to", "queues", "tiny-stream-parking",
            "^stream-parking$", """{"max-length":1,"overflow":"drop-head"}""");
        try
        {
            Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
            var client = await StartAsync(b => b.AddCommittableSource("stream-parking"), "actormq.consumers.stream-parking.prefetch = 1");
            var (control, probe) = ActorMqSource.Committable<Order>(client, "stream-parking")
                .ToMaterialized(this.SinkProbe<CommittableDelivery<Order>>(), Keep.Both).Run(Materializer);
            probe.Request(1);
            await SendAllAsync(client, "stream-parking", ["sp-0"]);
            var first = await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20)));
            foreach (var id in Ids("sp", 4)) await SendAllAsync(client, "stream-parking", [id]);

            var dead = new List<MessageDeadLettered>();
            for (var i = 0; i < 3; i++) dead.Add(await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30))));
            Assert.Equal(["sp-1", "sp-2", "sp-3"], dead.Select(d => d.MessageId).Order());
            Assert.All(dead, d => Assert.Equal("ActorMq.Consuming.BrokerDeadLetteredException", d.ErrorType));
            await AwaitQueueCountAsync("stream-parking.parked", 0);

            Assert.Equal(SettleOutcome.Acked, await first.AckAsync());
            probe.Request(1);
            Assert.Equal("sp-4", (await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20)))).Message.OrderId);
            await control.ShutdownAsync();
        }
        finally
        {
            await Broker.RabbitMqCtlAsync("clear_policy", "-p", Broker.VirtualHost, "tiny-stream-parking");
        }
    }

    [Fact]
    public async Task Settling_twice_is_a_clear_error()
    {
        var client = await StartAsync(b => b.AddCommittableSource("twice"));
        await SendAllAsync(client, "twice", ["t-1"]);
        var (control, probe) = ActorMqSource.Committable<Order>(client, "twice")
            .ToMaterialized(this.SinkProbe<CommittableDelivery<Order>>(), Keep.Both).Run(Materializer);
        var element = await probe.RequestNextAsync();

        Assert.Equal(SettleOutcome.Acked, await element.AckAsync());
        var twice = Assert.Throws<DeliveryAlreadySettledException>(() => { _ = element.FailAsync(new InvalidOperationException("late")); });
        Assert.Contains("'t-1'", twice.Message);
        Assert.Contains("queue 'twice'", twice.Message);
        Assert.Contains("AckAsync()", twice.Message);
        Assert.Contains("FailAsync(InvalidOperationException)", twice.Message);
        Assert.Throws<DeliveryAlreadySettledException>(() => { _ = element.AckAsync(); });
        await control.ShutdownAsync();
    }

    [Fact]
    public async Task A_source_for_an_undeclared_consumer_is_refused_with_the_way_to_declare_it()
    {
        var client = await StartAsync(b => b.AddCommittableSource("declared"));
        var e = Assert.Throws<ArgumentException>(() => ActorMqSource.Committable<Order>(client, "orders"));
        Assert.Contains("consumer 'orders' has no committable source", e.Message);
        Assert.Contains("AddCommittableSource(\"orders\")", e.Message);
        Assert.Contains("'declared'", e.Message);
    }

    [Fact]
    public async Task A_failed_delivery_goes_through_each_retry_tier_back_to_the_stream_then_to_the_dead_store()
    {
        var client = await StartAsync(b => b.AddCommittableSource("payments"));
        await SendAllAsync(client, "payments", ["p-1"]);
        var (control, probe) = ActorMqSource.Committable<Order>(client, "payments")
            .ToMaterialized(this.SinkProbe<CommittableDelivery<Order>>(), Keep.Both).Run(Materializer);
        probe.Request(3);

        var first = await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20)));
        Assert.Equal(1, first.Context.Attempt);
        Assert.Equal(SettleOutcome.Retried, await first.FailAsync(new InvalidOperationException("card declined #1")));
        var second = await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20)));
        Assert.Equal(("p-1", 2, "payments"), (second.Message.OrderId, second.Context.Attempt, second.Context.RoutingKey));
        Assert.Equal(SettleOutcome.Retried, await second.FailAsync(new InvalidOperationException("card declined #2")));
        var third = await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20)));
        Assert.Equal(3, third.Context.Attempt);
        Assert.Equal(SettleOutcome.DeadLettered, await third.FailAsync(new InvalidOperationException("card declined #3")));

        var page = await client.DeadLetterStore.ListAsync(new DeadLetterQuery { Limit = 100, Filter = new DeadLetterFilter { Queue = "payments" } });
        var letter = Assert.Single(page.Items).Letter;
        Assert.Equal(("p-1", "System.InvalidOperationException", "card declined #3", 3), (letter.MessageId, letter.ErrorType, letter.ErrorMessage, letter.Attempts));
        await AwaitQueueCountAsync("payments", 0);
        Assert.Equal(0, await Broker.CountMessagesAsync("payments.retry.200ms"));
        Assert.Equal(0, await Broker.CountMessagesAsync("payments.retry.400ms"));
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(600));
        await control.ShutdownAsync();
    }

    [Fact]
    public async Task A_permanent_reject_is_dead_lettered_at_once_and_a_plain_reject_comes_back()
    {
        var client = await StartAsync(b => b.AddCommittableSource("rejects"));
        await SendAllAsync(client, "rejects", ["r-1"]);
        var (control, probe) = ActorMqSource.Committable<Order>(client, "rejects")
            .ToMaterialized(this.SinkProbe<CommittableDelivery<Order>>(), Keep.Both).Run(Materializer);
        probe.Request(3);

        var first = await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20)));
        Assert.Equal(SettleOutcome.Requeued, await first.RejectAsync(permanent: false));
        var again = await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20)));
        Assert.Equal(("r-1", true, 1), (again.Message.OrderId, again.Context.Redelivered, again.Context.Attempt));
        Assert.Equal(SettleOutcome.DeadLettered, await again.RejectAsync(permanent: true, "no such customer"));

        var letter = Assert.Single((await client.DeadLetterStore.ListAsync(new DeadLetterQuery { Limit = 100, Filter = new DeadLetterFilter { Queue = "rejects" } })).Items).Letter;
        Assert.Equal(typeof(DeliveryRejectedException).FullName, letter.ErrorType);
        Assert.Contains("no such customer", letter.ErrorMessage);
        Assert.Equal(1, letter.Attempts);
        Assert.Equal(0, await Broker.CountMessagesAsync("rejects.retry.200ms"));
        await AwaitQueueCountAsync("rejects", 0);
        await control.ShutdownAsync();
    }

    [Fact]
    public async Task A_body_that_does_not_deserialize_is_dead_lettered_without_reaching_the_stream()
    {
        var client = await StartAsync(b => b.AddCommittableSource("garbage"));
        await client.SendAsync("garbage", "{ not json"u8.ToArray(), new PublishOptions { MessageId = "g-1", ContentType = "application/json" });
        await SendAllAsync(client, "garbage", ["g-2"]);
        var (control, probe) = ActorMqSource.Committable<Order>(client, "garbage")
            .ToMaterialized(this.SinkProbe<CommittableDelivery<Order>>(), Keep.Both).Run(Materializer);

        var element = await probe.RequestNextAsync();
        Assert.Equal("g-2", element.Message.OrderId);
        await element.AckAsync();
        await AwaitAssertAsync(async () =>
        {
            var letter = Assert.Single((await client.DeadLetterStore.ListAsync(new DeadLetterQuery { Limit = 100, Filter = new DeadLetterFilter { Queue = "garbage" } })).Items).Letter;
            Assert.Equal(("g-1", typeof(DeserializationException).FullName), (letter.MessageId, letter.ErrorType));
        }, Dilated(TimeSpan.FromSeconds(20)));
        await AwaitQueueCountAsync("garbage", 0);
        await control.ShutdownAsync();
    }

    [Fact]
    public async Task Demand_drives_the_flow_and_never_more_than_prefetch_deliveries_are_unsettled()
    {
        var client = await StartAsync(b => b.AddCommittableSource("slow"), "actormq.consumers.slow { prefetch = 10, ack-batch-size = 5 }");
        await SendAllAsync(client, "slow", Ids("s", 40));
        var (control, probe) = ActorMqSource.Committable<Order>(client, "slow")
            .ToMaterialized(this.SinkProbe<CommittableDelivery<Order>>(), Keep.Both).Run(Materializer);

        // No demand: nothing is emitted, though the broker has sent its prefetch window to the source.
        probe.EnsureSubscription();
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(500));
        probe.Request(40);
        var held = new List<CommittableDelivery<Order>>();
        for (var i = 0; i < 10; i++) held.Add(await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20))));
        await probe.ExpectNoMsgAsync(TimeSpan.FromSeconds(1)); // demand for 30 more, but 10 are unsettled

        await Task.WhenAll(held.Take(3).Select(e => e.AckAsync()));
        for (var i = 0; i < 3; i++) held.Add(await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20))));
        await probe.ExpectNoMsgAsync(TimeSpan.FromSeconds(1));

        // Settling the rest lets the remaining deliveries through, never more than ten unsettled at a time.
        var seen = held.Count;
        var settled = 3;
        while (seen < 40)
        {
            await Task.WhenAll(held.Skip(settled).Select(e => e.AckAsync()));
            settled = held.Count;
            var burst = 0;
            while (seen < 40 && burst < 10)
            {
                held.Add(await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20))));
                seen++;
                burst++;
            }
        }
        await Task.WhenAll(held.Skip(settled).Select(e => e.AckAsync()));
        Assert.Equal(Ids("s", 40).ToHashSet(), held.Select(e => e.Message.OrderId).ToHashSet());
        await AwaitQueueCountAsync("slow", 0);
        await control.ShutdownAsync();
    }

    [Fact]
    public async Task Drain_and_shutdown_lets_the_elements_in_flight_finish_and_settle_and_gives_back_the_rest()
    {
        var client = await StartAsync(b => b.AddCommittableSource("drain"), "actormq.consumers.drain { prefetch = 20 }");
        await SendAllAsync(client, "drain", Ids("d", 60));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = 0;
        var (control, completion) = ActorMqSource.Committable<Order>(client, "drain")
            .SelectAsync(4, async d =>
            {
                Interlocked.Increment(ref entered);
                await gate.Task;
                return (d.Message.OrderId, Outcome: await d.AckAsync());
            })
            .ToMaterialized(Sink.Seq<(string OrderId, SettleOutcome Outcome)>(), Keep.Both)
            .Run(Materializer);
        await AwaitConditionAsync(() => Volatile.Read(ref entered) == 4, Dilated(TimeSpan.FromSeconds(20)));

        var draining = control.DrainAndShutdownAsync(completion);
        await AwaitConditionAsync(async () => await ReadyAsync("drain") > 0, Dilated(TimeSpan.FromSeconds(20)),
            "the elements the source held but had not emitted go back to the broker before the stream finishes");
        // Longer than drain-timeout (2 s): a drain waits for the stream, however long its elements take.
        _ = draining.PipeTo(TestActor, success: _ => "drained", failure: e => e);
        await ExpectNoMsgAsync(TimeSpan.FromSeconds(3));
        gate.SetResult();
        var results = await draining;

        Assert.InRange(results.Count, 4, 59);
        Assert.All(results, r => Assert.Equal(SettleOutcome.Acked, r.Outcome));
        await control.WhenShutdown;
        // Nothing lost: what the stream did not take is still in the queue, ready for the next consumer.
        await AwaitQueueCountAsync("drain", 60 - results.Count);
        var (_, next) = ActorMqSource.Committable<Order>(client, "drain").Take(60 - results.Count)
            .SelectAsync(16, async d => { await d.AckAsync(); return d.Message.OrderId; })
            .ToMaterialized(Sink.Seq<string>(), Keep.Both).Run(Materializer);
        var rest = await next.WaitAsync(Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(Ids("d", 60).ToHashSet(), results.Select(r => r.OrderId).Concat(rest).ToHashSet());
    }

    [Fact]
    public async Task Stop_completes_the_stream_and_later_settles_still_ack()
    {
        var client = await StartAsync(b => b.AddCommittableSource("stop"), "actormq.consumers.stop { prefetch = 10 }");
        await SendAllAsync(client, "stop", Ids("x", 15));
        var (control, probe) = ActorMqSource.Committable<Order>(client, "stop")
            .ToMaterialized(this.SinkProbe<CommittableDelivery<Order>>(), Keep.Both).Run(Materializer);
        probe.Request(2);
        var a = await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20)));
        var b = await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20)));

        await control.StopAsync();
        await probe.ExpectCompleteAsync();
        Assert.Equal(SettleOutcome.Acked, await a.AckAsync());
        Assert.Equal(SettleOutcome.Acked, await b.AckAsync());
        await control.WhenShutdown.WaitAsync(Dilated(TimeSpan.FromSeconds(20)));
        await AwaitQueueCountAsync("stop", 13);
    }

    [Fact]
    public async Task Cancellation_by_downstream_stops_consuming_and_unsettled_elements_are_redelivered()
    {
        var client = await StartAsync(b => b.AddCommittableSource("cancel"), "actormq.consumers.cancel { prefetch = 10, drain-timeout = 1s }");
        await SendAllAsync(client, "cancel", Ids("c", 12));
        var (control, taken) = ActorMqSource.Committable<Order>(client, "cancel").Take(3)
            .ToMaterialized(Sink.Seq<CommittableDelivery<Order>>(), Keep.Both).Run(Materializer);
        var elements = await taken.WaitAsync(Dilated(TimeSpan.FromSeconds(20)));
        Assert.Equal(3, elements.Count);

        // Two are settled after the stream ended (within drain-timeout); the third never is.
        Assert.Equal(SettleOutcome.Acked, await elements[0].AckAsync());
        Assert.Equal(SettleOutcome.Acked, await elements[1].AckAsync());
        await control.WhenShutdown.WaitAsync(Dilated(TimeSpan.FromSeconds(20)));
        Assert.Equal(SettleOutcome.WillBeRedelivered, await elements[2].AckAsync());
        await AwaitQueueCountAsync("cancel", 10);

        var redelivered = new ConcurrentBag<string>();
        var (_, rest) = ActorMqSource.Committable<Order>(client, "cancel").Take(10)
            .SelectAsync(10, async d =>
            {
                if (d.Context.Redelivered) redelivered.Add(d.Message.OrderId);
                await d.AckAsync();
                return d.Message.OrderId;
            })
            .ToMaterialized(Sink.Seq<string>(), Keep.Both).Run(Materializer);
        var ids = await rest.WaitAsync(Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(Ids("c", 12).ToHashSet(), elements.Take(2).Select(e => e.Message.OrderId).Concat(ids).ToHashSet());
        Assert.Contains(elements[2].Message.OrderId, redelivered);
    }

    [Fact]
    public async Task The_committer_acks_with_multiple_and_consumes_everything()
    {
        var client = await StartAsync(b => b.AddCommittableSource("bulk"));
        await SendAllAsync(client, "bulk", Ids("b", 2_000));
        var seen = new ConcurrentDictionary<string, int>();
        var (control, done) = ActorMqSource.Committable<Order>(client, "bulk")
            .Select(d =>
            {
                seen.AddOrUpdate(d.Message.OrderId, 1, (_, n) => n + 1);
                return d;
            })
            .Take(2_000)
            .ToMaterialized(ActorMqCommitter.Sink<Order>(), Keep.Both).Run(Materializer);
        await done.WaitAsync(Dilated(TimeSpan.FromSeconds(60)));
        Assert.Equal(2_000, seen.Count);
        Assert.All(seen.Values, n => Assert.Equal(1, n));
        await control.WhenShutdown.WaitAsync(Dilated(TimeSpan.FromSeconds(20)));
        await AwaitQueueCountAsync("bulk", 0);
    }

    [Fact]
    public async Task A_configured_consumer_is_consumed_from_its_configured_queue_with_its_settings()
    {
        var client = await StartAsync(b => b.AddCommittableSource("billing"),
            "actormq.consumers.billing { queue = billing-work, prefetch = 3, retry { delays = [300ms], max-attempts = 2 } }");
        await SendAllAsync(client, "billing-work", Ids("bw", 5));
        var (control, probe) = ActorMqSource.Committable<Order>(client, "billing")
            .ToMaterialized(this.SinkProbe<CommittableDelivery<Order>>(), Keep.Both).Run(Materializer);
        probe.Request(6); // five messages, one of them twice
        var held = new List<CommittableDelivery<Order>>();
        for (var i = 0; i < 3; i++) held.Add(await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20))));
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(500)); // prefetch 3
        Assert.All(held, e => Assert.Equal(("billing", "billing-work"), (e.Context.Consumer, e.Context.Queue)));

        // Its own retry policy: one retry through its own tier, then the dead store.
        Assert.Equal(SettleOutcome.Retried, await held[0].FailAsync(new TimeoutException("gateway")));
        await Task.WhenAll(held.Skip(1).Select(e => e.AckAsync()));
        var rest = new List<CommittableDelivery<Order>>();
        for (var i = 0; i < 3; i++) rest.Add(await probe.ExpectNextAsync(Dilated(TimeSpan.FromSeconds(20))));
        var retried = Assert.Single(rest, e => e.Context.Attempt == 2);
        Assert.Equal(held[0].Message.OrderId, retried.Message.OrderId);
        Assert.Equal(SettleOutcome.DeadLettered, await retried.FailAsync(new TimeoutException("gateway")));
        await Task.WhenAll(rest.Where(e => e != retried).Select(e => e.AckAsync()));
        await AwaitQueueCountAsync("billing-work", 0);
        Assert.Equal(0, await Broker.CountMessagesAsync("billing-work.retry.300ms"));
        Assert.Null(await Broker.CountMessagesAsync("billing")); // no queue named after the consumer
        await control.ShutdownAsync();
    }

    [Fact]
    public async Task A_consumer_cannot_have_both_a_handler_and_a_source()
    {
        var builder = new ActorMqBuilder().AddCommittableSource("orders");
        var e = Assert.Throws<ArgumentException>(() => builder.AddHandler<Order>("orders", (_, _, _) => Task.CompletedTask));
        Assert.Contains("consumer 'orders' is consumed by a stream source", e.Message);
        var other = new ActorMqBuilder().AddHandler<Order>("orders", (_, _, _) => Task.CompletedTask);
        Assert.Contains("already has a handler", Assert.Throws<ArgumentException>(() => other.AddCommittableSource("orders")).Message);
        Assert.Contains("already consumed by a stream source", Assert.Throws<ArgumentException>(() => builder.AddCommittableSource("orders")).Message);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Coordinated_shutdown_stops_the_source_lets_elements_in_flight_settle_and_loses_nothing()
    {
        var system = ActorSystem.Create("shop", Sys.Settings.Config);
        var deadStore = Path.Combine(Path.GetTempPath(), $"actormq-cs-{Guid.NewGuid():N}.db");
        var acked = new ConcurrentDictionary<string, SettleOutcome>();
        var started = 0;
        Task done;
        try
        {
            var client = await ActorMqClient.StartAsync(system, Akka.Configuration.ConfigurationFactory.ParseString(
                $"actormq.consumers.shutdown {{ prefetch = 20 }}\nactormq.dead-store.sqlite.path = \"{deadStore}\""),
                b => b.AddCommittableSource("shutdown"));
            using (var ready = new CancellationTokenSource(Dilated(TimeSpan.FromSeconds(60)))) await client.WaitUntilReadyAsync(ready.Token);
            await SendAllAsync(client, "shutdown", Ids("cs", 100));
            (_, done) = ActorMqSource.Committable<Order>(client, "shutdown")
                .SelectAsync(4, async d =>
                {
                    Interlocked.Increment(ref started);
                    await Task.Delay(100); // work that takes a while: the shutdown must wait for it
                    acked[d.Message.OrderId] = await d.AckAsync();
                    return d.Message.OrderId;
                })
                .ToMaterialized(Sink.Ignore<string>(), Keep.Both)
                .Run(system.Materializer());
            await AwaitConditionAsync(() => acked.Count >= 10, Dilated(TimeSpan.FromSeconds(60)));

            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        }
        finally
        {
            await system.Terminate();
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(deadStore) + "*")) File.Delete(file);
        }

        Assert.True(done.IsCompletedSuccessfully, "the stream completes when its source is stopped");
        Assert.Equal(started, acked.Count);
        Assert.All(acked.Values, o => Assert.Equal(SettleOutcome.Acked, o));
        Assert.InRange(acked.Count, 10, 99);
        await AwaitQueueCountAsync("shutdown", 100 - acked.Count);
    }
}
