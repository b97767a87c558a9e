using System.Collections.Concurrent;
using ActorMq.DeadStore;
using ActorMq.Serialization;
using ActorMq.TestKit.Broker;
using RabbitMQ.Client;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Messaging;

/// <summary>Bad input never crashes a consumer and is never lost: it is a permanent failure parked in the dead store with a clear error.</summary>
public sealed class InvalidInputSpec(RabbitMqFixture broker, ITestOutputHelper output)
    : BrokerSpec(broker, output, "actormq.consumer-defaults { retry { delays = [200ms], max-attempts = 3 }\n max-message-size = 1MiB }"),
        IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task Malformed_json_a_foreign_content_type_an_unknown_message_type_and_an_oversized_body_are_dead_stored_at_once()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        var handled = new ConcurrentBag<string>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("intake", (o, _, _) => { handled.Add(o.OrderId); return Task.CompletedTask; }));

        await using var connection = await Broker.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        async Task Raw(string id, string? contentType, byte[] body, string? type = null) =>
            await channel.BasicPublishAsync("", "intake", true, new BasicProperties { MessageId = id, ContentType = contentType, Type = type }, body);

        await Raw("malformed", "application/json", "{\"OrderId\": \"x\", "u8.ToArray());
        await Raw("xml", "application/xml", "<order id=\"1\"/>"u8.ToArray());
        await Raw("unknown-type", "application/json", """{"OrderId":"u","Total":1}"""u8.ToArray(), type: "InvoiceCancelled");
        var huge = new byte[50 * 1024 * 1024];
        Random.Shared.NextBytes(huge);
        await Raw("huge", "application/json", huge);
        await Raw("good", "application/json", """{"OrderId":"good","Total":1}"""u8.ToArray());

        var dead = new Dictionary<string, MessageDeadLettered>();
        for (var i = 0; i < 4; i++)
        {
            var d = await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(60)));
            dead[d.MessageId!] = d;
        }
        Assert.All(dead.Values, d => Assert.Equal(1, d.Attempts));
        Assert.Equal(typeof(DeserializationException).FullName, dead["malformed"].ErrorType);
        Assert.Contains("{\"OrderId\": \"x\", ", dead["malformed"].ErrorMessage); // the payload's first bytes
        Assert.Contains("application/xml", dead["xml"].ErrorMessage);
        Assert.Contains("InvoiceCancelled", dead["unknown-type"].ErrorMessage);
        Assert.Equal(typeof(MessageTooLargeException).FullName, dead["huge"].ErrorType);
        Assert.Contains("max-message-size", dead["huge"].ErrorMessage);

        var stored = await client.DeadLetterStore.GetAsync(dead["huge"].Id);
        Assert.True(stored!.Letter.Body.Span.SequenceEqual(huge)); // nothing lost, byte for byte
        await AwaitConditionAsync(() => handled.Contains("good"));
        Assert.DoesNotContain("u", handled);
        await AwaitAssertAsync(async () => Assert.Equal(0, await Broker.CountMessagesAsync("intake")), Dilated(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Publishing_a_body_over_the_publishers_limit_fails_with_a_clear_error()
    {
        var client = await StartAsync(b => b.AddHandler<byte[]>("blobs", (_, _, _) => Task.CompletedTask), "actormq.publisher.max-message-size = 1MiB");

        var error = await Assert.ThrowsAsync<MessageTooLargeException>(() => client.SendAsync("blobs", new byte[2 * 1024 * 1024]));
        Assert.Contains("actormq.publisher.max-message-size", error.Message);
        Assert.Contains("2097152", error.Message);
    }

    [Fact]
    public async Task Header_values_of_every_amqp_type_reach_the_handler_and_survive_the_dead_store()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        var seen = new ConcurrentQueue<IDictionary<string, object?>>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("odd-headers", (_, c, _) =>
        {
            seen.Enqueue(c.Headers);
            throw new PermanentFailureException("park it");
        }));
        var headers = new Dictionary<string, object?>
        {
            ["text"] = "plain",
            ["int"] = 42,
            ["long"] = 42L,
            ["bool"] = true,
            ["double"] = 1.5d,
            ["decimal"] = 12.34m,
            ["timestamp"] = new AmqpTimestamp(1_700_000_000),
            ["list"] = new List<object?> { "a", 1, null },
            ["table"] = new Dictionary<string, object?> { ["nested"] = "yes" },
            ["null"] = null,
            ["retry-count"] = new List<object?> { "not", "a", "number" },
        };
        await client.SendAsync("odd-headers", new OrderPlaced("h-1", 1), new PublishOptions { Headers = headers });

        var dead = await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30)));
        var received = Assert.Single(seen);
        Assert.Equal(42, received["int"]);
        Assert.Equal(true, received["bool"]);
        var stored = (await client.DeadLetterStore.GetAsync(dead.Id))!.Letter.Headers;
        Assert.Equal(42, stored["int"]);
        Assert.Equal(42L, stored["long"]);
        Assert.Equal(true, stored["bool"]);
        Assert.Equal(12.34m, stored["decimal"]);
        Assert.Equal(new AmqpTimestamp(1_700_000_000), stored["timestamp"]);
        Assert.Equal("yes", Text(((IDictionary<string, object?>)stored["table"]!)["nested"]));
        await AwaitAssertAsync(() => Assert.Contains(Logs.Since(0), e => e.Message.Contains("retry-count", StringComparison.Ordinal) && e.Message.Contains("unreadable", StringComparison.Ordinal)),
            Dilated(TimeSpan.FromSeconds(10))); // log events reach the capture asynchronously
    }

    private static string? Text(object? value) => value is byte[] b ? System.Text.Encoding.UTF8.GetString(b) : value?.ToString();
}
