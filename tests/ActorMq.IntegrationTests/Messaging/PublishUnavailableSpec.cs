using Akka.Actor;
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

    [Fact]
    public async Task A_publish_the_broker_refuses_fails_at_once_with_its_reply_and_the_publishes_around_it_go_through()
    {
        var client = await StartAsync(b => b.AddHandler<string>("ledger", (_, _, _) => Task.CompletedTask));

        // In flight together on one channel: good publishes, one to an exchange that does not exist, one with a user_id
        // that is not the connection's user (both close the channel on the broker side).
        var good = Enumerable.Range(0, 200).Select(i => client.SendAsync("ledger", $"entry {i}")).ToList();
        var missing = client.PublishAsync("no-such-exchange", "x", "lost?");
        var properties = ActorMqClient.CreateProperties("text/plain");
        properties.UserId = "someone-else";
        var forged = client.Publisher.Ask<object>(new Publishing.Publish("", "ledger", "forged"u8.ToArray(), properties), Dilated(TimeSpan.FromSeconds(30)));
        var more = Enumerable.Range(200, 200).Select(i => client.SendAsync("ledger", $"entry {i}")).ToList();

        var notFound = await Assert.ThrowsAsync<PublishRefusedException>(() => missing.WaitAsync(Dilated(TimeSpan.FromSeconds(30))));
        Assert.Equal((404, "no-such-exchange"), (notFound.ReplyCode, notFound.Exchange));
        Assert.Contains("no exchange 'no-such-exchange'", notFound.Message);
        var refused = Assert.IsType<Publishing.PublishFailed>(await forged);
        var precondition = Assert.IsType<PublishRefusedException>(refused.Error);
        Assert.Equal(406, precondition.ReplyCode);
        Assert.Contains("user_id", precondition.ReplyText);
        await Task.WhenAll(good.Concat(more)).WaitAsync(Dilated(TimeSpan.FromSeconds(60)));
    }
}
