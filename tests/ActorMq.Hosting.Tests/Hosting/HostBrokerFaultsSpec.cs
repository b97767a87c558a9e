using ActorMq.Hosting.HealthChecks;
using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit;

namespace ActorMq.Hosting.Tests.Hosting;

/// <summary>The health checks while the real broker goes away and comes back. Stops the shared node, so it runs alone.</summary>
[Collection(BrokerFaultsCollection.Name)]
public sealed class HostBrokerFaultsSpec(BrokerFixture broker, ITestOutputHelper output) : ActorMqHostSpec(broker, output), IClassFixture<BrokerFixture>
{
    public sealed record Ping(string Id);

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        base.ConfigureAkka(builder, provider);
        // Prepended after WithActorMq: wins over its options and reference.conf.
        builder.AddHocon("actormq.hosting.health.unhealthy-after = 1s", HoconAddMode.Prepend);
    }

    protected override void ConfigureActorMq(ActorMqOptions options) =>
        options.Configure(b => b.AddHandler<Ping>("hosting-health", (_, _, _) => Task.CompletedTask));

    [Fact]
    public async Task Health_must_turn_unhealthy_while_the_broker_is_stopped_and_healthy_after_it_returns()
    {
        var cancellation = TestContext.Current.CancellationToken;
        Assert.Equal(HealthStatus.Healthy, (await CheckHealthAsync()).Status);
        try
        {
            await Broker.StopBrokerAsync();
            await AwaitAssertAsync(async () =>
            {
                var report = await CheckHealthAsync();
                var connection = report.Entries[ActorMqHealthCheckNames.Connection];
                Assert.Equal(HealthStatus.Degraded, connection.Status);
                Assert.Equal("Connecting", connection.Data["state"]);
                Assert.Contains("hosting-health (queue hosting-health)", report.Entries[ActorMqHealthCheckNames.Consumers].Description);
            }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), cancellationToken: cancellation);
            await AwaitAssertAsync(async () =>
            {
                var report = await CheckHealthAsync();
                Assert.Equal(HealthStatus.Unhealthy, report.Status);
                var connection = report.Entries[ActorMqHealthCheckNames.Connection];
                Assert.Equal(HealthStatus.Unhealthy, connection.Status);
                Assert.Contains("actormq.hosting.health.unhealthy-after", connection.Description);
                Assert.Equal(HealthStatus.Healthy, report.Entries[ActorMqHealthCheckNames.DeadStore].Status);
            }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200), cancellationToken: cancellation);
        }
        finally
        {
            await Broker.StartBrokerAsync();
        }
        await AwaitAssertAsync(async () => Assert.Equal(HealthStatus.Healthy, (await CheckHealthAsync()).Status),
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200), cancellationToken: cancellation);
    }
}
