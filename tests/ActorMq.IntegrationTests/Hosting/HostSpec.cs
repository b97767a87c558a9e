using ActorMq.Tests.Shared;
using System.Collections.Concurrent;
using Akka.Actor;
using ActorMq.Connection;
using ActorMq.Consuming;
using ActorMq.Hosting;
using ActorMq.IntegrationTests.Messaging;
using ActorMq.Publishing;
using ActorMq.TestKit.Broker;
using ActorMq.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Hosting;

/// <summary>A host built like an application's (Host.CreateApplicationBuilder + AddActorMq) against the real broker.</summary>
public sealed class HostSpec(RabbitMqFixture broker, ITestOutputHelper output) : BrokerSpec(broker, output), IClassFixture<RabbitMqFixture>
{
    private readonly CapturedLogs _hostLogs = new(output);

    /// <summary>What the handlers saw: order id and the id of the DI scope that handled it.</summary>
    public sealed class Received
    {
        public ConcurrentQueue<(string OrderId, Guid Scope)> Messages { get; } = new();

        public int Disposed;
    }

    /// <summary>A scoped service: one per message.</summary>
    public sealed class MessageScope
    {
        public Guid Id { get; } = Guid.NewGuid();
    }

    /// <summary>Not registered in DI: built by ActivatorUtilities from the message's scope.</summary>
    public sealed class RecordingHandler(Received received, MessageScope scope) : IMessageHandler<OrderPlaced>, IDisposable
    {
        public Task HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken)
        {
            received.Messages.Enqueue((message.OrderId, scope.Id));
            return Task.CompletedTask;
        }

        public void Dispose() => Interlocked.Increment(ref received.Disposed);
    }

    /// <summary>Lets the test hold a handler in flight.</summary>
    public sealed class Gate
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Finished;
    }

    public sealed class GatedHandler(Gate gate) : IMessageHandler<OrderPlaced>
    {
        public async Task HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken)
        {
            gate.Started.TrySetResult();
            await gate.Release.Task.WaitAsync(cancellationToken);
            Interlocked.Increment(ref gate.Finished);
        }
    }

    private sealed class EchoKey;

    private sealed class Echo : ReceiveActor
    {
        public Echo()
        {
            Receive<string>(m => m == "terminate-the-system", _ => Context.System.Terminate());
            ReceiveAny(m => Sender.Tell(m));
        }
    }

    private IHost Build(Action<ActorMqHostingBuilder> configure, Action<IServiceCollection>? services = null) =>
        TestHosts.Build(_hostLogs, b => configure(b.WithConfig($$"""
            actormq {
              connection { uris = ["{{Broker.AmqpUri}}"], min-backoff = 100ms, max-backoff = 2s }
              dead-store.sqlite.path = "{{DeadStorePath}}"
              hosting.wait-until-ready = on
            }
            """)), services);

    [Fact]
    public async Task A_host_must_handle_messages_with_a_DI_handler_in_a_scope_per_message_published_through_IPublisher()
    {
        var received = new Received();
        using var host = Build(b => b.AddHandler<OrderPlaced, RecordingHandler>("host-orders"),
            s => s.AddSingleton(received).AddScoped<MessageScope>());
        await host.StartAsync();
        try
        {
            var publisher = host.Services.GetRequiredService<IPublisher>();
            var ids = Enumerable.Range(1, 5).Select(i => $"host-{i}").ToList();
            foreach (var id in ids) await publisher.SendAsync("host-orders", new OrderPlaced(id, 1m));

            await AwaitConditionAsync(() => received.Messages.Count == ids.Count, Dilated(TimeSpan.FromSeconds(30)), "all five handled");
            Assert.Equal(ids.Order(), received.Messages.Select(m => m.OrderId).Order());
            Assert.Equal(ids.Count, received.Messages.Select(m => m.Scope).Distinct().Count());
            await AwaitConditionAsync(() => Volatile.Read(ref received.Disposed) == ids.Count, Dilated(TimeSpan.FromSeconds(10)), "each handler disposed");
            Assert.Same(host.Services.GetRequiredService<ActorMqClient>().System, host.Services.GetRequiredService<ActorSystem>());
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task The_registry_must_reach_ActorMqs_publisher_and_the_applications_actors_and_health_must_be_healthy()
    {
        using var host = Build(b => b.WithActors((system, registry) => registry.Register<EchoKey>(system.ActorOf(Props.Create(() => new Echo()), "echo"))));
        await host.StartAsync();
        try
        {
            var registry = host.Services.GetRequiredService<IActorRegistry>();
            Assert.Equal("ping", await registry.Get<EchoKey>().Ask<string>("ping", Dilated(TimeSpan.FromSeconds(5))));

            var publisher = registry.Get<ActorMqPublisher>();
            var link = await publisher.Ask<LinkStateChanged>(GetLinkState.Instance, Dilated(TimeSpan.FromSeconds(5)));
            Assert.Equal(LinkState.Connected, link.State);
            var body = System.Text.Encoding.UTF8.GetBytes("{}");
            var published = await publisher.Ask<object>(new Publish("", "host-registry-unrouted", body, Mandatory: false), Dilated(TimeSpan.FromSeconds(10)));
            Assert.IsType<Published>(published);

            var report = await host.CheckHealthAsync();
            Assert.Equal(HealthStatus.Healthy, report.Status);
            Assert.Equal(["actormq-connection", "actormq-consumers", "actormq-dead-store", "actormq-publisher"], report.Entries.Keys.Order());
            Assert.Equal("Connected", report.Entries["actormq-connection"].Data["state"]);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Stopping_the_host_must_let_an_in_flight_handler_finish_and_ack_it()
    {
        var gate = new Gate();
        using var host = Build(b => b.AddHandler<OrderPlaced, GatedHandler>("host-drain"), s => s.AddSingleton(gate));
        await host.StartAsync();
        var client = host.Services.GetRequiredService<ActorMqClient>();
        await client.SendAsync("host-drain", new OrderPlaced("in-flight", 1m));
        await gate.Started.Task.WaitAsync(Dilated(TimeSpan.FromSeconds(30)));

        var stopping = host.StopAsync();
        // The consumer has stopped consuming and waits for the handler: only now may it finish.
        await AwaitConditionAsync(async () => (await client.GetConsumersAsync()).Single() is { Consuming: false, InFlight: 1 },
            Dilated(TimeSpan.FromSeconds(20)), "the consumer draining its in-flight delivery");
        Assert.False(stopping.IsCompleted);
        gate.Release.TrySetResult();
        await stopping.WaitAsync(Dilated(TimeSpan.FromSeconds(60)));

        Assert.Equal(1, Volatile.Read(ref gate.Finished));
        Assert.True(host.Services.GetRequiredService<ActorSystem>().WhenTerminated.IsCompleted);
        // Acked before the connection closed: nothing went back to the queue.
        Assert.Equal(0, await Broker.CountMessagesAsync("host-drain"));
    }

    [Fact]
    public async Task The_host_must_stop_when_the_actor_system_terminates_from_inside()
    {
        using var host = Build(b => b.WithActors((system, registry) => registry.Register<EchoKey>(system.ActorOf(Props.Create(() => new Echo()), "echo"))));
        await host.StartAsync();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();

        host.Services.GetRequiredService<IActorRegistry>().Get<EchoKey>().Tell("terminate-the-system");

        await host.WaitForShutdownAsync().WaitAsync(Dilated(TimeSpan.FromSeconds(60)));
        Assert.True(lifetime.ApplicationStopped.IsCancellationRequested);
        Assert.Contains(_hostLogs.AtLeast(LogLevel.Critical), e => e.Message.Contains("terminated unexpectedly", StringComparison.Ordinal));
        var report = await host.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.All(report.Entries.Values, e => Assert.Contains("has terminated", e.Description));
    }
}
