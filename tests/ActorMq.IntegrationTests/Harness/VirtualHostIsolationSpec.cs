using ActorMq.TestKit.Broker;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Xunit;

namespace ActorMq.IntegrationTests.Harness;

/// <summary>Each test class gets its own virtual host, so parallel classes cannot see each other's queues.</summary>
public sealed class VirtualHostIsolationSpec(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task Fixture_must_hide_one_classes_queues_from_another()
    {
        // A second fixture stands for a second test class.
        var other = new RabbitMqFixture();
        await other.InitializeAsync();
        try
        {
            Assert.NotEqual(broker.VirtualHost, other.VirtualHost);

            await using (var mine = await broker.CreateConnectionFactory().CreateConnectionAsync())
            await using (var channel = await mine.CreateChannelAsync())
                await channel.QueueDeclareAsync("isolation.orders", durable: true, exclusive: false, autoDelete: false);

            await using var theirs = await other.CreateConnectionFactory().CreateConnectionAsync();
            await using var theirChannel = await theirs.CreateChannelAsync();
            var error = await Assert.ThrowsAsync<OperationInterruptedException>(() => theirChannel.QueueDeclarePassiveAsync("isolation.orders"));
            Assert.Equal((ushort)404, error.ShutdownReason?.ReplyCode);

            Assert.Equal(0, await broker.CountMessagesAsync("isolation.orders"));
            Assert.Null(await other.CountMessagesAsync("isolation.orders"));
        }
        finally
        {
            await other.DisposeAsync();
        }

        // Deleting the other fixture's vhost took its queues with it and left ours alone.
        var vhosts = await broker.RabbitMqCtlAsync("list_vhosts", "--no-table-headers", "name");
        Assert.DoesNotContain(other.VirtualHost, vhosts.Split('\n', StringSplitOptions.TrimEntries));
        Assert.Contains(broker.VirtualHost, vhosts.Split('\n', StringSplitOptions.TrimEntries));
    }
}
