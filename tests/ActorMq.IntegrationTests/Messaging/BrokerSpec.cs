using System.Collections.Concurrent;
using Akka.Configuration;
using ActorMq.TestKit.Broker;
using ActorMq.Tests.Shared;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Messaging;

/// <summary>
/// Base of the tests that run ActorMq against the real broker: a TestKit whose system is configured for this
/// class's virtual host, and a temporary SQLite dead store per test.
/// </summary>
public abstract class BrokerSpec : ActorMqTestKit
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actormq-spec.").FullName;
    private readonly List<ActorMqClient> _clients = [];

    protected BrokerSpec(RabbitMqFixture broker, ITestOutputHelper output, string? config = null)
        : base(ConfigurationFactory.ParseString(config ?? "").WithFallback(BaseConfig(broker)), output)
    {
        Broker = broker;
        DeadStorePath = Path.Combine(_directory, "dead.db");
    }

    protected RabbitMqFixture Broker { get; }


    /// <summary>This test's SQLite dead store file.</summary>
    protected string DeadStorePath { get; }

    /// <summary>Starts ActorMq in the test's system (config over the base config) and waits until it consumes.</summary>
    protected async Task<ActorMqClient> StartAsync(Action<ActorMqBuilder> configure, string? config = null, bool waitUntilReady = true)
    {
        var overrides = ConfigurationFactory.ParseString(config ?? "")
            .WithFallback(ConfigurationFactory.ParseString($"actormq.dead-store.sqlite.path = \"{DeadStorePath}\""));
        var client = await ActorMqClient.StartAsync(Sys, overrides, configure);
        _clients.Add(client);
        if (waitUntilReady)
        {
            using var cts = new CancellationTokenSource(Dilated(TimeSpan.FromSeconds(60)));
            await client.WaitUntilReadyAsync(cts.Token);
        }
        return client;
    }

    /// <summary>
    /// Publishes one message per id to <paramref name="queue"/>, each exactly once, at most <paramref name="parallelism"/>
    /// awaiting their confirms: the producer side of the fault tests. It never retries: across a link loss or
    /// back-pressure ActorMq's publisher must buffer and resend by itself, so a publish that fails fails the test (the
    /// exception names the first id that did not go out and why).
    /// </summary>
    protected static async Task PublishAllAsync(ActorMqClient client, string queue, IReadOnlyList<string> ids, int parallelism,
        CancellationToken cancellationToken, Func<int, Task>? afterEach = null)
    {
        using var gate = new SemaphoreSlim(parallelism);
        var tasks = new List<Task>(ids.Count);
        var failed = new ConcurrentQueue<(string Id, Exception Error)>();
        for (var i = 0; i < ids.Count; i++)
        {
            await gate.WaitAsync(cancellationToken);
            var id = ids[i];
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    await client.SendAsync(queue, new OrderPlaced(id, 1m), new PublishOptions { MessageId = id }, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failed.Enqueue((id, e));
                }
                finally
                {
                    gate.Release();
                }
            }, cancellationToken));
            if (afterEach is not null) await afterEach(i);
        }
        await Task.WhenAll(tasks);
        if (failed.TryPeek(out var first))
            throw new Xunit.Sdk.XunitException($"{failed.Count} of {ids.Count} publishes failed; the first, {first.Id}: {first.Error}");
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
