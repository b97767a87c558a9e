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
    public async Task Akka_and_ActorMq_logs_must_reach_the_hosts_logger_factory_when_routed_the_Akka_Hosting_way()
    {
        var captured = new CapturingLoggerProvider();
        using var host = PlainHosts.Build(b => b
                .ConfigureLoggers(logging =>
                {
                    logging.ClearLoggers();
                    logging.AddLoggerFactory();
                })
                .WithActorMq(o =>
                {
                    Unreachable(o).AddHandler<OrderPlaced, Noop>("orders");
                    o.WaitUntilReady = false;
                }),
            s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(captured));

        await host.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            // The connection supervisor's first attempt, logged through Akka's logging, arrives as a Microsoft.Extensions.Logging entry.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!captured.Lines.Any(l => l.Contains("Connecting to amqp://127.0.0.1:1", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
                await Task.Delay(50, TestContext.Current.CancellationToken);
            Assert.Contains(captured.Lines, l => l.Contains("Connecting to amqp://127.0.0.1:1", StringComparison.Ordinal));
        }
        finally
        {
            await host.StopAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public void WithActorMq_twice_on_one_builder_must_be_refused_saying_to_call_it_once()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            using var host = PlainHosts.Build(b => b.WithActorMq(o => Unreachable(o)).WithActorMq(o => Unreachable(o)));
            host.Services.GetRequiredService<ActorSystem>(); // the AddAkka callback runs when the system is resolved
        });
        Assert.Contains("WithActorMq was called twice", error.Message);
    }

    public sealed class Noop : IMessageHandler<OrderPlaced>
    {
        public Task HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Keeps every line logged through the host's logger factory.</summary>
    private sealed class CapturingLoggerProvider : Microsoft.Extensions.Logging.ILoggerProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new();

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose() { }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
                Exception? exception, Func<TState, Exception?, string> formatter) => provider.Lines.Enqueue($"{category}: {formatter(state, exception)}");
        }
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
