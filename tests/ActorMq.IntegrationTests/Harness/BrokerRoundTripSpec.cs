using System.Text;
using ActorMq.TestKit.Broker;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Xunit;

namespace ActorMq.IntegrationTests.Harness;

/// <summary>The test harness itself: a real broker, reachable, with confirms and manual acks.</summary>
public sealed class BrokerRoundTripSpec(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task Broker_must_round_trip_a_confirmed_message_to_a_manual_ack_consumer()
    {
        await using var connection = await broker.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var queue = (await channel.QueueDeclareAsync("harness.roundtrip", durable: true, exclusive: false, autoDelete: false)).QueueName;

        var props = new BasicProperties { MessageId = "m-1", ContentType = "text/plain", DeliveryMode = DeliveryModes.Persistent };
        // With confirmation tracking on, the publish completes only when the broker confirms it.
        await channel.BasicPublishAsync("", queue, mandatory: true, props, Encoding.UTF8.GetBytes("hello broker"));

        var received = new TaskCompletionSource<(string Body, string? MessageId, ulong Tag)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, ea) =>
        {
            received.TrySetResult((Encoding.UTF8.GetString(ea.Body.Span), ea.BasicProperties.MessageId, ea.DeliveryTag));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer);

        var (body, messageId, tag) = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("hello broker", body);
        Assert.Equal("m-1", messageId);
        await channel.BasicAckAsync(tag, multiple: false);

        // Acked: nothing is left in the queue, nothing unacked comes back.
        await channel.BasicCancelAsync(consumer.ConsumerTags[0]);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        uint count;
        while ((count = await channel.MessageCountAsync(queue)) != 0 && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.Equal(0u, count);
    }

    [Fact]
    public async Task Broker_must_confirm_an_unroutable_mandatory_publish_only_after_returning_it()
    {
        await using var connection = await broker.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var returned = new TaskCompletionSource<ushort>(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.BasicReturnAsync += (_, ea) => { returned.TrySetResult(ea.ReplyCode); return Task.CompletedTask; };

        var error = await Assert.ThrowsAnyAsync<PublishException>(async () =>
            await channel.BasicPublishAsync("", "harness.no-such-queue", mandatory: true, new BasicProperties(), new byte[] { 1 }));

        Assert.True(error.IsReturn);
        Assert.Equal(312, await returned.Task.WaitAsync(TimeSpan.FromSeconds(30))); // NO_ROUTE
    }
}
