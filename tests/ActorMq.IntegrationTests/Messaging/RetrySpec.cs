using System.Collections.Concurrent;
using Akka.Actor;
using ActorMq.Consuming;
using ActorMq.DeadStore;
using ActorMq.DeadStore.Sqlite;
using Akka.Configuration;
using ActorMq.Retry;
using ActorMq.TestKit.Broker;
using RabbitMQ.Client;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Messaging;

/// <summary>Handler failures walk the TTL tiers on the real broker and end in the dead store; the original is acked only after that is durable.</summary>
public sealed class RetrySpec(RabbitMqFixture broker, ITestOutputHelper output)
    : BrokerSpec(broker, output, "actormq.consumer-defaults { retry { delays = [200ms, 400ms], max-attempts = 3 } }"), IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task A_throwing_handler_is_retried_through_the_tier_with_the_attempt_header_and_failure_headers()
    {
        var attempts = new ConcurrentQueue<(int Attempt, IDictionary<string, object?> Headers)>();
        Sys.EventStream.Subscribe(TestActor, typeof(MessageRetried));
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("payments", (_, context, _) =>
        {
            attempts.Enqueue((context.Attempt, new Dictionary<string, object?>(context.Headers)));
            return context.Attempt < 3 ? throw new InvalidOperationException($"card declined #{context.Attempt}") : Task.CompletedTask;
        }));

        await client.SendAsync("payments", new OrderPlaced("p-1", 10), new PublishOptions { MessageId = "p-1" });

        var first = await ExpectMsgAsync<MessageRetried>(Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(("payments.retry.200ms", 2, "p-1"), (first.TierQueue, first.NextAttempt, first.MessageId));
        var second = await ExpectMsgAsync<MessageRetried>(Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(("payments.retry.400ms", 3), (second.TierQueue, second.NextAttempt));
        await AwaitConditionAsync(() => attempts.Count == 3, Dilated(TimeSpan.FromSeconds(30)));

        var seen = attempts.ToArray();
        Assert.Equal([1, 2, 3], seen.Select(a => a.Attempt));
        var third = seen[2].Headers;
        Assert.Equal(2, third["retry-count"]);
        Assert.Equal("System.InvalidOperationException", Text(third["error-type"]));
        Assert.Equal("card declined #2", Text(third["error-message"]));
        Assert.Equal("", Text(third["original-exchange"]));
        Assert.Equal("payments", Text(third["original-routing-key"]));
        Assert.True(DateTimeOffset.TryParse(Text(third["failed-at"]), out _));
        // ActorMq's own headers are never x- headers; the only x- headers are the broker's and the client's bookkeeping.
        Assert.All(third.Keys.Where(k => k.StartsWith("x-", StringComparison.Ordinal)), k => Assert.True(Publishing.MessageEnvelope.IsBookkeepingHeader(k), k));

        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(0, await Broker.CountMessagesAsync("payments"));
            Assert.Equal(0, await Broker.CountMessagesAsync("payments.retry.200ms"));
            Assert.Equal(0, await Broker.CountMessagesAsync("payments.retry.400ms"));
        }, Dilated(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Tier_queues_are_declared_with_ttl_and_dead_letter_straight_back_to_their_queue()
    {
        await StartAsync(b => b.AddHandler<OrderPlaced>("shipping", (_, _, _) => Task.CompletedTask));

        var listing = await Broker.RabbitMqCtlAsync("list_queues", "-p", Broker.VirtualHost, "--no-table-headers", "name", "arguments", "durable");
        var tier = listing.Split('\n').Single(l => l.StartsWith("shipping.retry.200ms\t", StringComparison.Ordinal)).Replace(" ", "");
        Assert.True(tier.Contains("\"x-message-ttl\",200}", StringComparison.Ordinal), tier);
        // rabbitmqctl prints the empty string (the default exchange) as [] or "".
        Assert.True(tier.Contains("\"x-dead-letter-exchange\",[]}", StringComparison.Ordinal) || tier.Contains("\"x-dead-letter-exchange\",\"\"}", StringComparison.Ordinal), tier);
        Assert.True(tier.Contains("\"x-dead-letter-routing-key\",\"shipping\"}", StringComparison.Ordinal), tier);
        Assert.True(tier.EndsWith("true", StringComparison.Ordinal), tier);
        Assert.Contains(listing.Split('\n'), l => l.StartsWith("shipping.retry.400ms\t", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(2147483647L)]
    [InlineData("99999999999999999999")]
    public async Task An_attempt_header_at_or_beyond_int_max_is_dead_stored_as_the_last_attempt_and_acked(object header)
    {
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        var attempts = new ConcurrentQueue<int>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("overflow", (_, c, _) =>
        {
            attempts.Enqueue(c.Attempt);
            throw new TimeoutException("gateway down");
        }));

        await client.SendAsync("overflow", new OrderPlaced("o-1", 1m),
            new PublishOptions { MessageId = "o-1", Headers = new Dictionary<string, object?> { ["retry-count"] = header } });

        var dead = await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(("o-1", int.MaxValue), (dead.MessageId, dead.Attempts));
        Assert.Equal([int.MaxValue], attempts);
        await AwaitAssertAsync(async () => Assert.Equal(0, await Broker.CountMessagesAsync("overflow")), Dilated(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_message_another_user_published_with_its_user_id_is_retried_as_ActorMqs_own_copy()
    {
        // The original publisher is another broker user, and stamped its user_id (which the broker checks against the
        // connection's user): the retry copy, published by ActorMq's user, must drop it or the broker refuses it.
        var user = "billing-" + Guid.NewGuid().ToString("N")[..6];
        await Broker.RabbitMqCtlAsync("add_user", user, "billing-secret");
        await Broker.RabbitMqCtlAsync("set_permissions", "-p", Broker.VirtualHost, user, ".*", ".*", ".*");
        var seen = new ConcurrentQueue<(int Attempt, string? UserId)>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("tally", (_, c, _) =>
        {
            seen.Enqueue((c.Attempt, c.Properties.UserId));
            return c.Attempt == 1 ? throw new InvalidOperationException("ledger busy") : Task.CompletedTask;
        }));

        var factory = Broker.CreateConnectionFactory("billing");
        factory.UserName = user;
        factory.Password = "billing-secret";
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true)))
        {
            var properties = new BasicProperties { UserId = user, MessageId = "t-1", ContentType = "application/json", Persistent = true };
            await channel.BasicPublishAsync("", "tally", mandatory: true, properties, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new OrderPlaced("t-1", 3m)));
        }

        await AwaitConditionAsync(() => seen.Count == 2, Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal([(1, user), (2, null)], seen.ToArray());
        Assert.Equal(0, client.GetStatistics().DeadLettered);
    }

    [Fact]
    public async Task A_tier_queue_deleted_while_running_is_declared_again_by_the_next_failure_and_the_copy_goes_there()
    {
        var attempts = new ConcurrentQueue<(string Id, int Attempt)>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("stock", (order, c, _) =>
        {
            attempts.Enqueue((order.OrderId, c.Attempt));
            return c.Attempt == 1 ? throw new InvalidOperationException("warehouse busy") : Task.CompletedTask;
        }));
        await Broker.DeleteQueueAsync("stock.retry.200ms");
        Assert.Null(await Broker.CountMessagesAsync("stock.retry.200ms"));

        await client.SendAsync("stock", new OrderPlaced("s-1", 1m));

        await AwaitConditionAsync(() => attempts.Contains(("s-1", 2)), Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal([("s-1", 1), ("s-1", 2)], attempts.ToArray());
        Assert.NotNull(await Broker.CountMessagesAsync("stock.retry.200ms"));
        Assert.Equal(1, client.GetStatistics().Retried);
    }

    [Fact]
    public async Task After_the_last_attempt_the_message_is_dead_stored_with_all_fields_and_acked()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("billing", (_, c, _) => throw new TimeoutException($"gateway down ({c.Attempt})")));

        await client.SendAsync("billing", new OrderPlaced("b-1", 99.5m),
            new PublishOptions { MessageId = "b-1", CorrelationId = "c-9", Headers = new Dictionary<string, object?> { ["tenant"] = "acme" } });

        var dead = await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(("billing", "billing", "b-1", 3), (dead.Consumer, dead.Queue, dead.MessageId, dead.Attempts));

        var record = await client.DeadLetterStore.GetAsync(dead.Id);
        Assert.NotNull(record);
        var letter = record.Letter;
        Assert.Equal(DeadLetterState.Dead, record.State);
        Assert.Equal("b-1", letter.MessageId);
        Assert.Equal("billing", letter.Queue);
        Assert.Equal("", letter.Exchange);
        Assert.Equal("billing", letter.RoutingKey);
        Assert.Equal("System.TimeoutException", letter.ErrorType);
        Assert.Equal("gateway down (3)", letter.ErrorMessage);
        Assert.Contains("TimeoutException", letter.ErrorDetail);
        Assert.Equal(3, letter.Attempts);
        Assert.True(letter.FirstFailedAt < letter.DeadAt);
        Assert.Equal("c-9", letter.Properties.CorrelationId);
        Assert.Equal("application/json", letter.Properties.ContentType);
        Assert.Equal("acme", Text(letter.Headers["tenant"]));
        Assert.Contains("\"b-1\"", System.Text.Encoding.UTF8.GetString(letter.Body.Span));
        Assert.False(letter.Headers.ContainsKey("retry-count"));
        await AwaitAssertAsync(async () => Assert.Equal(0, await Broker.CountMessagesAsync("billing")), Dilated(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Failure_headers_a_producer_forged_are_renamed_so_the_dead_letter_keeps_the_real_address_through_every_tier()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        var seen = new ConcurrentQueue<IDictionary<string, object?>>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("invoices", (_, c, _) =>
        {
            seen.Enqueue(new Dictionary<string, object?>(c.Headers));
            throw new TimeoutException($"ledger down ({c.Attempt})");
        }));

        // A producer that wants a later "replay --to-original-exchange" to publish, with ActorMq's credentials, where it chooses.
        await client.SendAsync("invoices", new OrderPlaced("i-1", 5m), new PublishOptions
        {
            MessageId = "i-1",
            Headers = new Dictionary<string, object?>
            {
                ["original-exchange"] = "amq.topic", ["original-routing-key"] = "payments.refund.all",
                ["error-type"] = "Fake.Error", ["failed-at"] = "1999-01-01T00:00:00.000Z", ["first-failed-at"] = "1999-01-01T00:00:00.000Z",
            },
        });

        var dead = await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30)));
        var letter = (await client.DeadLetterStore.GetAsync(dead.Id))!.Letter;
        Assert.Equal(3, letter.Attempts);
        Assert.Equal("", letter.Exchange);            // where it really came from: the default exchange ...
        Assert.Equal("invoices", letter.RoutingKey);  // ... to the queue
        Assert.Equal("", Text(letter.Headers["original-exchange"]));
        Assert.Equal("amq.topic", Text(letter.Headers["producer-original-exchange"]));
        Assert.Equal("payments.refund.all", Text(letter.Headers["producer-original-routing-key"]));
        Assert.Equal("System.TimeoutException", letter.ErrorType);
        Assert.True(letter.FirstFailedAt.Year > 2000, letter.FirstFailedAt.ToString());
        // The retry copies that came back through the tiers kept ActorMq's own headers (the first address, the first failure time).
        var third = seen.ToArray()[2];
        Assert.Equal("invoices", Text(third["original-routing-key"]));
        Assert.Equal(Text(seen.ToArray()[1]["first-failed-at"]), Text(third["first-failed-at"]));
    }

    [Fact]
    public async Task A_permanent_failure_skips_the_tiers()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        Sys.EventStream.Subscribe(TestActor, typeof(MessageRetried));
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("ledger", (_, _, _) => throw new PermanentFailureException("account closed")));

        await client.SendAsync("ledger", new OrderPlaced("l-1", 1));

        var dead = await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, dead.Attempts);
        Assert.Equal("ActorMq.PermanentFailureException", dead.ErrorType);
        // No copy went to a tier (it would sit there for its TTL), and the delivery was acked.
        Assert.Equal(0, client.GetStatistics().Retried);
        Assert.Equal(0, await Broker.CountMessagesAsync("ledger.retry.200ms") ?? 0);
        await AwaitAssertAsync(async () => Assert.Equal(0, await Broker.CountMessagesAsync("ledger")), Dilated(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_timing_out_handler_and_a_crashing_handler_actor_are_retried()
    {
        var timeouts = new ConcurrentQueue<int>();
        var client = await StartAsync(b => b
                .AddHandler<OrderPlaced>("slow", async (_, c, token) =>
                {
                    timeouts.Enqueue(c.Attempt);
                    if (c.Attempt == 1) await Task.Delay(TimeSpan.FromMinutes(1), token);
                })
                .AddHandlerActor<OrderPlaced>("crashy", Props.Create(() => new CrashOnFirstAttemptActor(TestActor))),
            "actormq.consumers.slow.handler-timeout = 300ms");

        await client.SendAsync("slow", new OrderPlaced("s-1", 1));
        await client.SendAsync("crashy", new OrderPlaced("c-1", 1));

        await AwaitConditionAsync(() => timeouts.Count == 2, Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal([1, 2], timeouts);
        Assert.Equal(2, await ExpectMsgAsync<int>(Dilated(TimeSpan.FromSeconds(30))));
    }

    [Fact]
    public async Task A_handler_blocking_its_thread_past_the_timeout_is_retried_and_a_fresh_handler_takes_its_slot()
    {
        using var gate = new ManualResetEventSlim(false);
        var handled = new ConcurrentQueue<(string Id, int Attempt)>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("blocking", (o, c, _) =>
            {
                if (o.OrderId == "stuck" && c.Attempt == 1) gate.Wait(); // blocks the handler's thread, no task returned
                handled.Enqueue((o.OrderId, c.Attempt));
                return Task.CompletedTask;
            }),
            "actormq.consumers.blocking { handler-timeout = 300ms, concurrency = 1 }");
        try
        {
            await client.SendAsync("blocking", new OrderPlaced("stuck", 1));
            await client.SendAsync("blocking", new OrderPlaced("behind", 1));

            // One handler only: both can finish only because the stuck one was failed and replaced.
            await AwaitConditionAsync(() => handled.Contains(("stuck", 2)) && handled.Contains(("behind", 1)), Dilated(TimeSpan.FromSeconds(30)));
            Assert.Equal(1, client.GetStatistics().Retried);
        }
        finally
        {
            gate.Set();
        }
    }

    [Fact]
    public async Task A_plain_producers_retry_nums_header_of_any_integer_type_or_string_is_counted()
    {
        var attempts = new ConcurrentDictionary<string, int>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("legacy", (o, c, _) =>
            {
                attempts[o.OrderId] = c.Attempt;
                return Task.CompletedTask;
            }),
            "actormq.retry.attempt-header = retry_nums");

        await using var connection = await Broker.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        foreach (var (id, value) in new (string, object)[] { ("int32", 2), ("int64", 2L), ("string", "2"), ("bytes", "2"u8.ToArray()), ("bool", true) })
        {
            var props = new BasicProperties { ContentType = "application/json", Headers = new Dictionary<string, object?> { ["retry_nums"] = value } };
            await channel.BasicPublishAsync("", "legacy", true, props, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new OrderPlaced(id, 1)));
        }

        await AwaitConditionAsync(() => attempts.Count == 5, Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(3, attempts["int32"]);
        Assert.Equal(3, attempts["int64"]);
        Assert.Equal(3, attempts["string"]);
        Assert.Equal(3, attempts["bytes"]);
        Assert.Equal(1, attempts["bool"]); // unreadable: counted as 0 retries, with a warning
        // Log events reach the capture asynchronously, possibly after the handler ran.
        await AwaitAssertAsync(() => Assert.Contains(Logs.Since(0), e => e.Message.Contains("retry_nums", StringComparison.Ordinal) && e.Message.Contains("Boolean", StringComparison.Ordinal)),
            Dilated(TimeSpan.FromSeconds(10)));
    }

    private static string? Text(object? value) => value switch
    {
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        string s => s,
        _ => value?.ToString(),
    };

    private sealed class CrashOnFirstAttemptActor : ReceiveActor
    {
        public CrashOnFirstAttemptActor(IActorRef probe)
        {
            Receive<MessageReceived>(m =>
            {
                if (m.Context.Attempt == 1) throw new InvalidOperationException("handler actor crashed");
                probe.Tell(m.Context.Attempt);
                Sender.Tell(MessageHandled.Instance);
            });
        }
    }
}
