using ActorMq.Consuming;
using ActorMq.TestKit.Handlers;
using Akka.Actor;
using Akka.Configuration;
using Xunit;

namespace ActorMq.Tests.TestKit;

/// <summary>The broker-free handler harness users unit-test their handlers and retry settings with.</summary>
public sealed class HandlerHarnessSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly Config Retries = ConfigurationFactory.ParseString("""
        actormq.consumers.orders {
          handler-timeout = 300ms
          retry { delays = [5s, 30s], max-attempts = 4, permanent-exceptions = ["ArgumentException"] }
        }
        """);

    public sealed record OrderPlaced(string Id, decimal Amount);

    private HandlerHarness Harness(Func<OrderPlaced, MessageContext, CancellationToken, Task> handler) =>
        HandlerHarness.Create(Sys, "orders", b => b.AddHandler("orders", handler), Retries);

    [Fact]
    public async Task A_handler_that_succeeds_must_be_handled()
    {
        OrderPlaced? seen = null;
        var harness = Harness((order, _, _) =>
        {
            seen = order;
            return Task.CompletedTask;
        });

        var outcome = await harness.DeliverAsync(new OrderPlaced("o-1", 12.5m), options: new PublishOptions { MessageId = "m-1" });

        Assert.Equal(new HandlingOutcome.Handled("orders", "m-1", 1), outcome);
        Assert.Equal(new OrderPlaced("o-1", 12.5m), seen);
    }

    [Fact]
    public async Task A_handler_failing_twice_must_walk_the_tiers_in_order_then_be_handled_and_see_its_attempt_numbers()
    {
        var attempts = new List<int>();
        var harness = Harness((_, context, _) =>
        {
            attempts.Add(context.Attempt);
            return context.Attempt < 3 ? throw new TimeoutException("downstream slow") : Task.CompletedTask;
        });

        var outcomes = await harness.DeliverUntilSettledAsync(new OrderPlaced("o-2", 1m));

        Assert.Equal([1, 2, 3], attempts);
        Assert.Collection(outcomes,
            o => Assert.Equal(("orders.retry.5s", TimeSpan.FromSeconds(5)), (((HandlingOutcome.Retried)o).TierQueue, ((HandlingOutcome.Retried)o).Delay)),
            o => Assert.Equal("orders.retry.30s", Assert.IsType<HandlingOutcome.Retried>(o).TierQueue),
            o => Assert.IsType<HandlingOutcome.Handled>(o));
        Assert.Single(outcomes.Select(o => o.MessageId).Distinct());
    }

    [Fact]
    public async Task A_handler_that_always_fails_must_be_dead_lettered_after_max_attempts()
    {
        var harness = Harness((_, _, _) => throw new InvalidOperationException("always"));

        var outcomes = await harness.DeliverUntilSettledAsync(new OrderPlaced("o-3", 1m));

        Assert.Equal(4, outcomes.Count);
        var dead = Assert.IsType<HandlingOutcome.DeadLettered>(outcomes[^1]);
        Assert.Equal(4, dead.Attempt);
        Assert.Contains("gave up after 4 attempt(s)", dead.Reason);
        Assert.IsType<InvalidOperationException>(dead.Error);
    }

    [Fact]
    public async Task A_permanent_exception_and_a_malformed_body_must_skip_the_tiers()
    {
        var harness = Harness((order, _, _) => order.Amount < 0 ? throw new ArgumentException("negative amount") : Task.CompletedTask);

        var permanent = Assert.IsType<HandlingOutcome.DeadLettered>(await harness.DeliverAsync(new OrderPlaced("o-4", -1m)));
        Assert.Contains("permanent failure (System.ArgumentException)", permanent.Reason);

        var malformed = Assert.IsType<HandlingOutcome.DeadLettered>(
            await harness.DeliverAsync("{ not json"u8.ToArray(), options: new PublishOptions { ContentType = "application/json" }));
        Assert.Contains("permanent failure", malformed.Reason);
        Assert.Equal(1, malformed.Attempt);
    }

    [Fact]
    public async Task A_handler_past_its_timeout_must_fail_with_a_timeout_and_be_retried()
    {
        var harness = Harness((_, _, token) => Task.Delay(Timeout.Infinite, token));

        var outcome = Assert.IsType<HandlingOutcome.Retried>(await harness.DeliverAsync(new OrderPlaced("o-5", 1m)));

        Assert.IsType<HandlerTimeoutException>(outcome.Error);
        Assert.Equal("orders.retry.5s", outcome.TierQueue);
    }

    [Fact]
    public async Task A_handler_that_blocks_its_thread_past_its_timeout_must_fail_with_a_timeout_and_the_next_message_be_handled()
    {
        using var gate = new ManualResetEventSlim(false);
        var harness = Harness((order, _, _) =>
        {
            if (order.Id == "blocker") gate.Wait(); // synchronous: never returns a task until the gate opens
            return Task.CompletedTask;
        });

        var blocked = Assert.IsType<HandlingOutcome.Retried>(await harness.DeliverAsync(new OrderPlaced("blocker", 1m)));
        var next = await harness.DeliverAsync(new OrderPlaced("next", 1m));
        gate.Set();

        Assert.IsType<HandlerTimeoutException>(blocked.Error);
        Assert.Contains("blocked its thread", blocked.Error.InnerException!.Message);
        Assert.IsType<HandlingOutcome.Handled>(next);
    }

    [Fact]
    public async Task An_actor_handler_that_timed_out_must_not_hold_up_the_next_message()
    {
        var harness = HandlerHarness.Create(Sys, "orders", b => b.AddHandlerActor<OrderPlaced>("orders", Props.Create(() => new SlowFirstActor())), Retries);

        var slow = Assert.IsType<HandlingOutcome.Retried>(await harness.DeliverAsync(new OrderPlaced("slow", 1m)));
        Assert.IsType<HandlerTimeoutException>(slow.Error);
        // A fresh instance takes the next message: it does not wait behind the five seconds of the first.
        Assert.IsType<HandlingOutcome.Handled>(await harness.DeliverAsync(new OrderPlaced("fast", 1m)));
    }

    [Fact]
    public async Task A_crash_of_the_handler_actor_itself_must_fail_the_delivery_it_held_and_keep_the_slot()
    {
        var harness = HandlerHarness.Create(Sys, "orders", b => b
            .UseSerializer(new BrokenSerializer())
            .AddHandler<OrderPlaced>("orders", (_, _, _) => Task.CompletedTask), Retries);

        // The serializer's CanDeserialize throws: outside the handler's code, so it crashes the HandlerActor.
        var crashed = Assert.IsType<HandlingOutcome.Retried>(
            await harness.DeliverAsync(new OrderPlaced("crash", 1m), options: new PublishOptions { ContentType = BrokenSerializer.Type }));
        Assert.Equal("CanDeserialize is broken", crashed.Error.Message);
        Assert.IsType<HandlingOutcome.Handled>(await harness.DeliverAsync(new OrderPlaced("json", 1m), options: new PublishOptions { ContentType = "application/json" }));
    }

    /// <summary>Writes JSON; reads application/json, and crashes when asked whether it reads its own content type.</summary>
    private sealed class BrokenSerializer : ActorMq.Serialization.IMessageSerializer
    {
        public const string Type = "application/x-broken";
        public string ContentType => Type;
        public bool CanDeserialize(string mediaType) => mediaType == Type ? throw new InvalidOperationException("CanDeserialize is broken") : mediaType == "application/json";
        public byte[] Serialize(object message, Type messageType) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(message, messageType);
        public object? Deserialize(ReadOnlyMemory<byte> body, Type messageType) => System.Text.Json.JsonSerializer.Deserialize(body.Span, messageType);
    }

    /// <summary>Takes five seconds over "slow" (far past the 300 ms timeout), then answers at once.</summary>
    private sealed class SlowFirstActor : ReceiveActor
    {
        public SlowFirstActor()
        {
            ReceiveAsync<MessageReceived>(async m =>
            {
                if (((OrderPlaced)m.Message).Id == "slow") await Task.Delay(TimeSpan.FromSeconds(5));
                Sender.Tell(MessageHandled.Instance);
            });
        }
    }

    private sealed class OrderActor : ReceiveActor
    {
        public OrderActor() => Receive<MessageReceived>(m =>
            Sender.Tell(((OrderPlaced)m.Message).Amount > 0 ? MessageHandled.Instance : new Status.Failure(new InvalidOperationException("zero"))));
    }

    [Fact]
    public async Task A_user_actor_handler_must_reply_through_the_protocol_and_the_outcomes_reach_a_probe()
    {
        var probe = CreateTestProbe();
        var harness = HandlerHarness.Create(Sys, "orders", b => b.AddHandlerActor<OrderPlaced>("orders", Props.Create(() => new OrderActor())), Retries);

        harness.Deliver(new OrderPlaced("o-6", 3m), probe.Ref, options: new PublishOptions { MessageId = "m-6" });
        harness.Deliver(new OrderPlaced("o-7", 0m), probe.Ref, attempt: 4, options: new PublishOptions { MessageId = "m-7" });

        Assert.Equal(new HandlingOutcome.Handled("orders", "m-6", 1), await probe.ExpectMsgAsync<HandlingOutcome.Handled>());
        var dead = await probe.ExpectMsgAsync<HandlingOutcome.DeadLettered>();
        Assert.Equal(("m-7", 4), (dead.MessageId, dead.Attempt));
    }

    [Fact]
    public async Task An_existing_actor_ref_as_handler_must_get_every_message()
    {
        var router = Sys.ActorOf(Props.Create(() => new OrderActor()), "orders-router");
        var harness = HandlerHarness.Create(Sys, "orders", b => b.AddHandlerActor<OrderPlaced>("orders", router), Retries);

        Assert.IsType<HandlingOutcome.Handled>(await harness.DeliverAsync(new OrderPlaced("o-8", 1m)));
        Assert.IsType<HandlingOutcome.Retried>(await harness.DeliverAsync(new OrderPlaced("o-9", 0m)));
    }

    [Fact]
    public void A_consumer_without_a_handler_must_be_named_in_the_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => HandlerHarness.Create(Sys, "payments", b => b.AddHandler<OrderPlaced>("orders", (_, _, _) => Task.CompletedTask)));
        Assert.Contains("'payments'", error.Message);
        Assert.Contains("orders", error.Message);
    }
}
