using Akka.Actor;
using ActorMq.Tests.Shared;
using ActorMq.Consuming;
using Akka.Configuration;
using ActorMq.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.Tests.Hosting;

/// <summary>Starting a host with ActorMq, without a broker: configuration errors, readiness, health while the broker is unreachable.</summary>
public sealed class HostStartSpec(ITestOutputHelper output) : ActorMqTestKit(output: output), IDisposable
{
    private const string Unreachable = """
        actormq.connection { uris = ["amqp://127.0.0.1:1"], min-backoff = 100ms, max-backoff = 500ms }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("actormq-hosting.").FullName;
    private readonly CapturedLogs _hostLogs = new(output);

    public sealed record OrderPlaced(string OrderId);

    private sealed class NoopHandler : IMessageHandler<OrderPlaced>
    {
        public Task HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private string DeadStore => $"actormq.dead-store.sqlite.path = \"{Path.Combine(_directory, "dead.db")}\"";

    private IHost Build(Action<ActorMqHostingBuilder> configure) =>
        TestHosts.Build(_hostLogs, b => configure(b.WithConfig(DeadStore)));

    [Fact]
    public async Task A_bad_value_in_a_config_file_must_fail_the_start_naming_path_file_and_line()
    {
        var file = Path.Combine(_directory, "app.conf");
        await File.WriteAllTextAsync(file, "actormq {\n  consumers.orders {\n    prefetch = -5\n  }\n}\n");
        using var host = Build(b => b.AddHocon(file).AddHandler<OrderPlaced, NoopHandler>("orders"));

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => host.StartAsync());

        Assert.Equal("actormq.consumers.orders.prefetch", error.Path);
        Assert.Contains("actormq.consumers.orders.prefetch", error.Message);
        Assert.Contains(_hostLogs.AtLeast(LogLevel.Critical), e => e.Message.Contains("ActorMq failed to start", StringComparison.Ordinal)
            && e.Message.Contains("actormq.consumers.orders.prefetch", StringComparison.Ordinal));
        var system = host.Services.GetRequiredService<ActorSystem>();
        await system.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_bad_code_override_must_fail_the_start_naming_path_and_value()
    {
        using var host = Build(b => b.WithConfig("\n\nactormq.hosting.system-name = \"no spaces please\""));
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => host.StartAsync());
        Assert.Equal("actormq.hosting.system-name", error.Path);
        Assert.Contains("'no spaces please'", error.Message);
    }

    [Fact]
    public async Task Text_that_is_not_HOCON_must_fail_the_start_naming_the_layer()
    {
        using var host = Build(b => b.AddHocon("actormq {\n  publisher.publishers = 2\n  consumers = [\n}"));
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => host.StartAsync());
        Assert.StartsWith("AddHocon #1 is not valid HOCON: line 4, column 1", error.Message);
        await host.StopAsync(); // nothing was created, so nothing to stop: no second error
    }

    [Fact]
    public async Task A_configured_consumer_without_a_handler_must_fail_the_start()
    {
        using var host = Build(b => b.AddHocon("actormq.consumers.billing.concurrency = 2"));
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => host.StartAsync());
        Assert.Equal("actormq.consumers.billing", error.Path);
    }

    [Fact]
    public async Task Before_the_start_the_client_must_say_what_to_inject_and_health_must_be_unhealthy()
    {
        using var host = Build(b => b.AddHocon(Unreachable));
        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<ActorMqClient>());
        Assert.Contains("IPublisher", error.Message);
        var report = await host.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal(4, report.Entries.Count);
        Assert.All(report.Entries.Values, e => Assert.Contains("not started", e.Description));
    }

    [Fact]
    public async Task AddActorMq_twice_must_be_refused()
    {
        var services = new ServiceCollection();
        services.AddActorMq(b => b.AddHocon(Unreachable));
        var error = Assert.Throws<InvalidOperationException>(() => services.AddActorMq(b => b.AddHocon(Unreachable)));
        Assert.Contains("exactly one", error.Message);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task With_wait_until_ready_the_start_must_fail_after_the_timeout_naming_the_link_state_and_idle_consumers()
    {
        using var host = Build(b => b.AddHocon(Unreachable)
            .AddHocon("actormq.hosting { wait-until-ready = on, ready-timeout = 1s }")
            .AddHandler<OrderPlaced, NoopHandler>("orders"));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => host.StartAsync());
        Assert.Contains("actormq.hosting.ready-timeout", error.Message);
        Assert.Contains("Connecting", error.Message);
        Assert.Contains("orders (queue orders)", error.Message);
        await host.Services.GetRequiredService<ActorSystem>().WhenTerminated.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task While_the_broker_is_unreachable_health_must_be_degraded_and_logs_must_reach_the_host()
    {
        using var host = Build(b => b.AddHocon(Unreachable)
            .AddHocon("actormq.publisher { buffer-size = 4, confirm-timeout = 1s }")
            .AddHandler<OrderPlaced, NoopHandler>("orders"));
        await host.StartAsync();
        try
        {
            var report = await host.CheckHealthAsync();
            Assert.Equal(HealthStatus.Degraded, report.Status);
            Assert.Equal(HealthStatus.Degraded, report.Entries["actormq-connection"].Status);
            Assert.Equal("Connecting", report.Entries["actormq-connection"].Data["state"]);
            Assert.Equal(HealthStatus.Degraded, report.Entries["actormq-consumers"].Status);
            Assert.Contains("orders (queue orders)", report.Entries["actormq-consumers"].Description);
            Assert.Contains("waiting for the broker link", report.Entries["actormq-consumers"].Description);
            Assert.Equal(HealthStatus.Healthy, report.Entries["actormq-dead-store"].Status);
            Assert.Equal(HealthStatus.Healthy, report.Entries["actormq-publisher"].Status);

            // Publishes wait in the buffer while the link is down: two of four is the degraded ratio (0.5).
            var publisher = host.Services.GetRequiredService<IPublisher>();
            var pending = Enumerable.Range(1, 2).Select(i => publisher.SendAsync("orders", new OrderPlaced($"o-{i}"))).ToList();
            await AwaitAssertAsync(async () =>
            {
                var publisherHealth = (await host.CheckHealthAsync()).Entries["actormq-publisher"];
                Assert.Equal(HealthStatus.Degraded, publisherHealth.Status);
                Assert.Equal(2L, publisherHealth.Data["buffered"]);
                Assert.Equal(4L, publisherHealth.Data["capacity"]);
            }, TimeSpan.FromSeconds(20));
            Assert.All(pending, p => Assert.False(p.IsCompleted));

            // Akka's and ActorMq's log events reach the host's logger factory.
            await AwaitConditionAsync(() => _hostLogs.Since(0).Any(e => e.Category == "Akka.Actor.ActorSystem" && e.Message.Contains("Connecting to", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(20), "ActorMq's connection logs in the host");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}
