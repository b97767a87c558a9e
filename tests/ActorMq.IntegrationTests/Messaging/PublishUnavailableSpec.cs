using ActorMq.Connection;
using ActorMq.TestKit.Broker;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Messaging;

/// <summary>When nothing can be published any more, a publish fails at once instead of waiting for ever.</summary>
public sealed class PublishUnavailableSpec(RabbitMqFixture broker, ITestOutputHelper output) : BrokerSpec(broker, output), IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task A_publish_after_StopAsync_fails_at_once_naming_the_stop()
    {
        var client = await StartAsync(b => b.WithoutConsumers());
        await client.SendAsync("audit", "before the stop", new PublishOptions { Mandatory = false });
        await client.StopAsync();

        var publish = client.SendAsync("audit", "after the stop", new PublishOptions { Mandatory = false });
        var error = await Assert.ThrowsAsync<PublishUnavailableException>(() => publish.WaitAsync(Dilated(TimeSpan.FromSeconds(5))));
        Assert.Contains("stopped", error.Message);
    }

    [Fact]
    public async Task When_the_broker_refuses_access_the_link_fails_and_waiting_and_new_publishes_fail_with_its_reason()
    {
        var refused = new UriBuilder(Broker.AmqpUri) { UserName = "guest", Password = "not-the-password" }.Uri;
        Sys.EventStream.Subscribe(TestActor, typeof(LinkStateChanged));
        var client = await StartAsync(b => b.WithoutConsumers(), $"actormq.connection.uris = [\"{refused}\"]", waitUntilReady: false);
        // Published while connecting: waits in the buffer until the link fails.
        var waiting = client.SendAsync("audit", "buffered", new PublishOptions { Mandatory = false });

        await FishForMessageAsync<LinkStateChanged>(s => s.State == LinkState.Failed, Dilated(TimeSpan.FromSeconds(60)));
        var buffered = await Assert.ThrowsAsync<PublishUnavailableException>(() => waiting.WaitAsync(Dilated(TimeSpan.FromSeconds(10))));
        Assert.Contains("ACCESS_REFUSED", buffered.Message);
        var later = await Assert.ThrowsAsync<PublishUnavailableException>(() =>
            client.SendAsync("audit", "after the failure", new PublishOptions { Mandatory = false }).WaitAsync(Dilated(TimeSpan.FromSeconds(10))));
        Assert.Contains("the broker link failed", later.Message);
    }
}
