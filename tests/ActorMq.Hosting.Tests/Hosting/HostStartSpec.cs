using ActorMq.Consuming;
using ActorMq.Hosting.HealthChecks;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ActorMq.Hosting.Tests.Hosting;

/// <summary>Starts that must fail loudly, naming what is wrong, and what the host offers before its start.</summary>
public sealed class HostStartSpec
{
    public sealed record OrderPlaced(string OrderId);

    public sealed class OrdersDb;

    public sealed class PaymentGateway;

    /// <summary>Takes a scoped service nobody registered.</summary>
    public sealed class NeedsOrdersDb(OrdersDb db) : IMessageHandler<OrderPlaced>
    {
        public Task HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => Task.FromResult(db);
    }

    /// <summary>Registered in DI, but one of its own dependencies is not.</summary>
    public sealed class NeedsGateway(PaymentGateway gateway) : IMessageHandler<OrderPlaced>
    {
        public Task HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => Task.FromResult(gateway);
    }

    // Nothing listens there: these starts fail before they would connect.
    private static ActorMqOptions Unreachable(ActorMqOptions options)
    {
        options.ConnectionUris = ["amqp://127.0.0.1:1/"];
        options.DeadStoreSqlitePath = Path.Combine(Path.GetTempPath(), $"actormq-hosting-{Guid.NewGuid():N}.db");
        return options;
    }

    [Fact]
    public async Task A_handler_whose_constructor_takes_an_unregistered_service_must_fail_the_start_naming_handler_and_service()
    {
        using var host = PlainHosts.Build(b => b.WithActorMq(o => Unreachable(o).AddHandler<OrderPlaced, NeedsOrdersDb>("orders")));

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal("actormq.consumers.orders", error.Path);
        Assert.Contains(typeof(NeedsOrdersDb).FullName!, error.Message);
        Assert.Contains(typeof(OrdersDb).FullName!, error.Message);
        Assert.Contains("consumer 'orders'", error.Message);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_registered_handler_missing_a_dependency_must_fail_the_start_naming_both()
    {
        using var host = PlainHosts.Build(b => b.WithActorMq(o => Unreachable(o).AddHandler<OrderPlaced, NeedsGateway>("payments")),
            s => s.AddScoped<NeedsGateway>());

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(typeof(NeedsGateway).FullName!, error.Message);
        Assert.Contains(nameof(PaymentGateway), error.Message);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_configured_consumer_without_a_handler_must_fail_the_start_and_health_must_say_why()
    {
        using var host = PlainHosts.Build(b => b
            .AddHocon("actormq.consumers.invoices { queue = invoices }", HoconAddMode.Prepend)
            .WithActorMq(o => Unreachable(o)));

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal("actormq.consumers.invoices", error.Path);
        Assert.Contains("no handler is registered", error.Message);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Before_the_start_ActorMqClient_must_say_what_to_inject_and_health_must_be_unhealthy()
    {
        using var host = PlainHosts.Build(b => b.WithActorMq(o => Unreachable(o)));

        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<ActorMqClient>());
        Assert.Contains("inject IPublisher", error.Message);
        var report = await host.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Entries[ActorMqHealthCheckNames.Connection].Status);
        Assert.Contains("has not started", report.Entries[ActorMqHealthCheckNames.Connection].Description);
        await host.Services.GetRequiredService<ActorSystem>().Terminate();
    }

    [Fact]
    public async Task With_wait_until_ready_the_start_must_fail_after_the_timeout_naming_the_link_state()
    {
        using var host = PlainHosts.Build(b => b.WithActorMq(o =>
        {
            Unreachable(o);
            o.WaitUntilReady = true;
            o.ReadyTimeout = TimeSpan.FromSeconds(1);
        }));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("actormq.hosting.ready-timeout", error.Message);
        Assert.Contains("Connecting", error.Message);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }
}
