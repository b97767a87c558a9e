using System.Collections.Concurrent;
using ActorMq.Connection;
using ActorMq.Consuming;
using ActorMq.Hosting.HealthChecks;
using ActorMq.Publishing;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit;

namespace ActorMq.Hosting.Tests.Hosting;

/// <summary>A host built with AddAkka + WithActorMq against the real broker: DI handlers, the registry, health.</summary>
public sealed class WithActorMqSpec(BrokerFixture broker, ITestOutputHelper output) : ActorMqHostSpec(broker, output), IClassFixture<BrokerFixture>
{
    public sealed record OrderPlaced(string OrderId);

    /// <summary>What the handlers saw: order id and the id of the scoped service that handled it.</summary>
    public sealed class Received
    {
        public ConcurrentQueue<(string OrderId, Guid Scope)> Messages { get; } = new();

        public int ScopesDisposed;
    }

    /// <summary>A scoped, DbContext-like service: one per delivery, disposed with its scope.</summary>
    public sealed class OrdersDb(Received received) : IDisposable
    {
        public Guid Id { get; } = Guid.NewGuid();

        public void Dispose() => Interlocked.Increment(ref received.ScopesDisposed);
    }

    /// <summary>Not registered in DI: built by ActivatorUtilities from the delivery's scope.</summary>
    public sealed class OrderPlacedHandler(Received received, OrdersDb db) : IMessageHandler<OrderPlaced>
    {
        public Task HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken)
        {
            received.Messages.Enqueue((message.OrderId, db.Id));
            return Task.CompletedTask;
        }
    }

    private readonly Received _received = new();

    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton(_received).AddScoped<OrdersDb>();

    protected override void ConfigureActorMq(ActorMqOptions options) => options.AddHandler<OrderPlaced, OrderPlacedHandler>("hosting-orders");

    [Fact]
    public async Task A_DI_handler_must_handle_each_delivery_in_a_scope_of_its_own_published_through_IPublisher_from_DI()
    {
        var publisher = Host.Services.GetRequiredService<IPublisher>();
        var ids = Enumerable.Range(1, 5).Select(i => $"order-{i}").ToList();
        foreach (var id in ids) await publisher.SendAsync("hosting-orders", new OrderPlaced(id), cancellationToken: TestContext.Current.CancellationToken);

        await AwaitConditionAsync(() => _received.Messages.Count == ids.Count, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50),
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(ids.Order(), _received.Messages.Select(m => m.OrderId).Order());
        Assert.Equal(ids.Count, _received.Messages.Select(m => m.Scope).Distinct().Count());
        await AwaitConditionAsync(() => Volatile.Read(ref _received.ScopesDisposed) == ids.Count, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50),
            cancellationToken: TestContext.Current.CancellationToken);
        // The one actor system is Akka.Hosting's: ActorMq runs in it, under /user/actormq.
        var client = Host.Services.GetRequiredService<ActorMqClient>();
        Assert.Same(Sys, client.System);
        Assert.Equal("/user/actormq", client.Publisher.Path.ToStringWithoutAddress());
    }

    [Fact]
    public async Task ActorMqs_publisher_must_be_in_Akka_Hostings_registry_and_reachable_through_IRequiredActor()
    {
        var required = Host.Services.GetRequiredService<IRequiredActor<ActorMqPublisher>>();
        var publisher = await required.GetAsync(TestContext.Current.CancellationToken);
        Assert.Equal(ActorRegistry.Get<ActorMqPublisher>(), publisher);

        var link = await publisher.Ask<LinkStateChanged>(GetLinkState.Instance, TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(LinkState.Connected, link.State);
        var body = System.Text.Encoding.UTF8.GetBytes("{}");
        var reply = await publisher.Ask<object>(new Publish("", "hosting-unrouted", body, Mandatory: false), TimeSpan.FromSeconds(10),
            TestContext.Current.CancellationToken);
        Assert.IsType<Published>(reply);
    }

    [Fact]
    public async Task Health_must_report_each_check_healthy_beside_Akka_Hostings_own_with_liveness_and_readiness_tags()
    {
        var report = await CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Status);
        foreach (var name in new[] { ActorMqHealthCheckNames.Connection, ActorMqHealthCheckNames.Consumers, ActorMqHealthCheckNames.Publisher, ActorMqHealthCheckNames.DeadStore })
        {
            Assert.True(report.Entries.TryGetValue(name, out var entry), $"{name} is missing from {string.Join(", ", report.Entries.Keys)}");
            Assert.Equal(HealthStatus.Healthy, entry.Status);
            Assert.Contains(ActorMqHealthCheckTags.Readiness, entry.Tags);
            Assert.Contains(ActorMqHealthCheckTags.ActorMq, entry.Tags);
        }
        Assert.Contains(ActorMqHealthCheckTags.Liveness, report.Entries[ActorMqHealthCheckNames.Connection].Tags);
        Assert.Equal("Connected", report.Entries[ActorMqHealthCheckNames.Connection].Data["state"]);
        Assert.Equal(true, report.Entries[ActorMqHealthCheckNames.Consumers].Data["hosting-orders.consuming"]);
    }
}
