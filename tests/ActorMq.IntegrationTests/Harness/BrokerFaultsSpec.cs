using System.Text;
using ActorMq.TestKit.Broker;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Xunit;

namespace ActorMq.IntegrationTests.Harness;

/// <summary>The fixture's fault controls act on the real node; later fault tests depend on them.</summary>
[Collection(BrokerFaultsCollection.Name)]
public sealed class BrokerFaultsSpec(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task A_fresh_connection_must_survive_a_broker_restart_and_find_durable_messages()
    {
        var factory = broker.CreateConnectionFactory();
        var connection = await factory.CreateConnectionAsync();
        var lost = new TaskCompletionSource<ShutdownEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionShutdownAsync += (_, ea) => { lost.TrySetResult(ea); return Task.CompletedTask; };
        await using (var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            await channel.QueueDeclareAsync("faults.durable", durable: true, exclusive: false, autoDelete: false);
            await channel.BasicPublishAsync("", "faults.durable", mandatory: true,
                new BasicProperties { DeliveryMode = DeliveryModes.Persistent }, Encoding.UTF8.GetBytes("kept"));
        }

        await broker.StopBrokerAsync();
        var shutdown = await lost.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(ShutdownInitiator.Peer, shutdown.Initiator);
        Assert.False(connection.IsOpen);
        await connection.DisposeAsync();

        await broker.StartBrokerAsync();
        await using var fresh = await factory.CreateConnectionAsync();
        await using var ch = await fresh.CreateChannelAsync();
        var result = await ch.BasicGetAsync("faults.durable", autoAck: true);
        Assert.NotNull(result);
        Assert.Equal("kept", Encoding.UTF8.GetString(result.Body.Span));
    }

    [Fact]
    public async Task CloseAllConnections_must_drop_the_fixtures_connections_with_connection_forced()
    {
        await using var connection = await broker.CreateConnectionFactory().CreateConnectionAsync();
        var lost = new TaskCompletionSource<ShutdownEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionShutdownAsync += (_, ea) => { lost.TrySetResult(ea); return Task.CompletedTask; };

        await broker.CloseAllConnectionsAsync("harness test");

        var shutdown = await lost.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(320, shutdown.ReplyCode); // CONNECTION_FORCED
        Assert.Contains("harness test", shutdown.ReplyText);
    }

    [Fact]
    public async Task The_memory_alarm_must_block_publishing_connections_until_it_clears()
    {
        await using var connection = await broker.CreateConnectionFactory().CreateConnectionAsync();
        var blocked = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var unblocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionBlockedAsync += (_, ea) => { blocked.TrySetResult(ea.Reason); return Task.CompletedTask; };
        connection.ConnectionUnblockedAsync += (_, _) => { unblocked.TrySetResult(); return Task.CompletedTask; };
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.QueueDeclareAsync("faults.alarm", durable: true, exclusive: false, autoDelete: false);

        try
        {
            await broker.SetMemoryHighWatermarkAsync(0.0000001);
            // The broker blocks a connection when it next publishes.
            var publish = channel.BasicPublishAsync("", "faults.alarm", mandatory: true, new BasicProperties(), new byte[] { 42 }).AsTask();
            Assert.Contains("memory", await blocked.Task.WaitAsync(TimeSpan.FromSeconds(60)), StringComparison.OrdinalIgnoreCase);
            Assert.False(publish.IsCompleted);

            await broker.SetMemoryHighWatermarkAsync(0.4);
            await unblocked.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await publish.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            await broker.SetMemoryHighWatermarkAsync(0.4);
        }
        Assert.Equal(1, await broker.CountMessagesAsync("faults.alarm"));
    }
}
