using System.Collections.Concurrent;
using ActorMq.Consuming;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ActorMq.Hosting.Tests.Hosting;

/// <summary>
/// The host's stop is Akka.Hosting's: Akka's coordinated shutdown runs ActorMq's drain (service-requests-done) with
/// handlers in flight, and nothing is lost.
/// </summary>
public sealed class HostStopSpec(BrokerFixture broker, ITestOutputHelper output) : ActorMqHostSpec(broker, output), IClassFixture<BrokerFixture>
{
    private const string Queue = "hosting-drain";
    private const int Concurrency = 4;

    public sealed record Job(int Id);

    /// <summary>Lets the test hold the handlers in flight.</summary>
    public sealed class Gate
    {
        public ConcurrentDictionary<int, int> Started { get; } = new();

        public ConcurrentDictionary<int, int> Finished { get; } = new();

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public sealed class GatedHandler(Gate gate) : IMessageHandler<Job>
    {
        public async Task HandleAsync(Job message, MessageContext context, CancellationToken cancellationToken)
        {
            gate.Started.AddOrUpdate(message.Id, 1, (_, n) => n + 1);
            await gate.Release.Task.WaitAsync(cancellationToken);
            gate.Finished.AddOrUpdate(message.Id, 1, (_, n) => n + 1);
        }
    }

    private readonly Gate _gate = new();

    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton(_gate);

    protected override void ConfigureActorMq(ActorMqOptions options) => options
        .AddHandler<Job, GatedHandler>(Queue)
        .Configure(b => b.WithConfig($"actormq.consumers.{Queue} {{ concurrency = {Concurrency}, prefetch = {Concurrency}, drain-timeout = 20s }}"));

    [Fact]
    public async Task Stopping_the_host_must_let_in_flight_handlers_finish_ack_them_and_leave_the_rest_queued()
    {
        var cancellation = TestContext.Current.CancellationToken;
        const int total = 20;
        var publisher = Host.Services.GetRequiredService<IPublisher>();
        for (var i = 0; i < total; i++) await publisher.SendAsync(Queue, new Job(i), cancellationToken: cancellation);
        await AwaitConditionAsync(() => _gate.Started.Count == Concurrency, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50), cancellationToken: cancellation);
        var system = Sys;
        var client = Host.Services.GetRequiredService<ActorMqClient>();

        var stopping = Host.StopAsync(CancellationToken.None);
        // The consumer has stopped consuming and waits for its handlers: only now may they finish.
        await AwaitConditionAsync(async () => (await client.GetConsumersAsync(cancellation)).Single() is { Consuming: false, InFlight: Concurrency },
            TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50), cancellationToken: cancellation);
        Assert.False(stopping.IsCompleted);
        _gate.Release.TrySetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(60), cancellation);

        Assert.True(system.WhenTerminated.IsCompleted);
        Assert.Equal(Concurrency, _gate.Finished.Count);
        Assert.All(_gate.Finished.Values, n => Assert.Equal(1, n));
        // The handled ones were acked before the connection closed; every other one is still queued: nothing lost, nothing twice.
        Assert.Equal(total - Concurrency, await Broker.CountMessagesAsync(Queue));
    }
}
