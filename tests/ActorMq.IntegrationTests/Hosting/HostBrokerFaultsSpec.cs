using ActorMq.Tests.Shared;
using ActorMq.IntegrationTests.Messaging;
using ActorMq.TestKit.Broker;
using ActorMq.Tests.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Hosting;

/// <summary>The health checks while the broker goes away and comes back. Stops the shared node, so it runs alone.</summary>
[Collection(BrokerFaultsCollection.Name)]
public sealed class HostBrokerFaultsSpec(RabbitMqFixture broker, ITestOutputHelper output) : BrokerSpec(broker, output), IClassFixture<RabbitMqFixture>
{
    private readonly CapturedLogs _hostLogs = new(output);

    [Fact]
    public async Task Health_must_turn_from_healthy_to_degraded_when_the_broker_stops_and_back_when_it_returns()
    {
        using var host = TestHosts.Build(_hostLogs, b => b
            .WithConfig($$"""
                actormq {
                  connection { uris = ["{{Broker.AmqpUri}}"], min-backoff = 100ms, max-backoff = 1s }
                  dead-store.sqlite.path = "{{DeadStorePath}}"
                  hosting.wait-until-ready = on
                }
                """)
            .ConfigureActorMq(m => m.AddHandler<OrderPlaced>("host-health", (_, _, _) => Task.CompletedTask)));
        await host.StartAsync();
        try
        {
            Assert.Equal(HealthStatus.Healthy, (await host.CheckHealthAsync()).Status);
            try
            {
                await Broker.StopBrokerAsync();
                await AwaitAssertAsync(async () =>
                {
                    var report = await host.CheckHealthAsync();
                    Assert.NotEqual(HealthStatus.Healthy, report.Status);
                    Assert.Equal(HealthStatus.Degraded, report.Entries["actormq-connection"].Status);
                    Assert.Equal(HealthStatus.Degraded, report.Entries["actormq-consumers"].Status);
                    Assert.Contains("host-health (queue host-health)", report.Entries["actormq-consumers"].Description);
                    Assert.Equal(HealthStatus.Healthy, report.Entries["actormq-dead-store"].Status);
                }, Dilated(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(200));
            }
            finally
            {
                await Broker.StartBrokerAsync();
            }
            await AwaitAssertAsync(async () => Assert.Equal(HealthStatus.Healthy, (await host.CheckHealthAsync()).Status),
                Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(200));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
