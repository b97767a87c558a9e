using ActorMq.TestKit.Broker;
using ActorMq.Tests.Shared;
using Akka.Configuration;
using Akka.Streams;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.Streams.Tests;

/// <summary>An order as the specs publish it.</summary>
public sealed record Order(string OrderId, decimal Total);

/// <summary>
/// Base of the stream specs against the real broker: a TestKit whose system is configured for this class's virtual
/// host (fast reconnects, short retry tiers), a temporary SQLite dead store per test, and a materializer.
/// </summary>
public abstract class StreamSpec : ActorMqTestKit, IClassFixture<RabbitMqFixture>
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actormq-streams-spec.").FullName;
    private readonly List<ActorMqClient> _clients = [];

    protected StreamSpec(RabbitMqFixture broker, ITestOutputHelper output, string? config = null)
        : base(ConfigurationFactory.ParseString(config ?? "").WithFallback(BaseConfig(broker)), output)
    {
        Broker = broker;
        Materializer = Sys.Materializer();
    }

    protected RabbitMqFixture Broker { get; }

    protected IMaterializer Materializer { get; }

    /// <summary>Starts ActorMq in the test's system and waits until the link is up.</summary>
    protected async Task<ActorMqClient> StartAsync(Action<ActorMqBuilder> configure, string? config = null)
    {
        var overrides = ConfigurationFactory.ParseString(config ?? "")
            .WithFallback(ConfigurationFactory.ParseString($"actormq.dead-store.sqlite.path = \"{Path.Combine(_directory, "dead.db")}\""));
        var client = await ActorMqClient.StartAsync(Sys, overrides, configure);
        _clients.Add(client);
        using var cts = new CancellationTokenSource(Dilated(TimeSpan.FromSeconds(60)));
        await client.WaitUntilReadyAsync(cts.Token);
        return client;
    }

    /// <summary>Publishes one order per id to <paramref name="queue"/> (message id = order id), all confirmed.</summary>
    protected static async Task SendAllAsync(ActorMqClient client, string queue, IEnumerable<string> ids) =>
        await Task.WhenAll(ids.Select(id => client.SendAsync(queue, new Order(id, 1m), new PublishOptions { MessageId = id })));

    /// <summary>Waits until <paramref name="queue"/> holds <paramref name="expected"/> messages (ready and unacked).</summary>
    protected Task AwaitQueueCountAsync(string queue, long expected, TimeSpan? max = null) =>
        AwaitAssertAsync(async () => Assert.Equal(expected, await Broker.CountMessagesAsync(queue)), max ?? Dilated(TimeSpan.FromSeconds(30)),
            TimeSpan.FromMilliseconds(200));

    /// <summary>The ready (not delivered) messages of <paramref name="queue"/>.</summary>
    protected async Task<long> ReadyAsync(string queue)
    {
        var output = await Broker.RabbitMqCtlAsync("list_queues", "-p", Broker.VirtualHost, "--no-table-headers", "name", "messages_ready");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('\t')).Where(p => p.Length == 2 && p[0] == queue).Select(p => long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture))
            .Single();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }

    private static Config BaseConfig(RabbitMqFixture broker) => ConfigurationFactory.ParseString($$"""
        actormq {
          connection {
            uris = ["{{broker.AmqpUri}}"]
            min-backoff = 100ms
            max-backoff = 2s
            channel-restart { min-backoff = 100ms, max-backoff = 1s }
          }
          consumer-defaults.retry.delays = [200ms]
        }
        """);
}

/// <summary>Specs that close connections or raise alarms on the shared node: xunit runs them alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerFaultsCollection
{
    public const string Name = "stream broker faults";
}
