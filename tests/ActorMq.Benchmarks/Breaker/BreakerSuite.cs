using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Configuration;

namespace ActorMq.Benchmarks.Breaker;

/// <summary>
/// The consumer circuit breaker against an outage, on the real broker: a steady load of 40 messages a second for 30 s,
/// the handler's downstream down (it throws an ordinary exception) from second 5 to second 25. The same run with the
/// breaker on and off; each prints what became of the messages: handled, retry-tier copies, dead letters.
/// </summary>
public sealed class BreakerSuite : IBenchmarkSuite
{
    private const int Messages = 1_200;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan DownFrom = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DownUntil = TimeSpan.FromSeconds(25);

    public string Name => "breaker";

    public string Description => "consumer circuit breaker: a 20 s downstream outage under load, breaker on vs off (handled, retry copies, dead letters)";

    public async Task RunAsync(BenchmarkContext context)
    {
        if (context.AmqpUri is null)
        {
            context.Note("breaker skipped: ACTORMQ_TEST_AMQP_URI is not set (./build.sh bench breaker starts a broker)");
            return;
        }
        context.Note($"{Messages} messages at {1000 / Interval.TotalMilliseconds:0}/s; downstream down from {DownFrom.TotalSeconds:0} s to {DownUntil.TotalSeconds:0} s; retry delays [1s, 2s], max-attempts 3");
        context.Report("breaker.published", Messages);
        await RunOnceAsync(context, breaker: true, "breaker").ConfigureAwait(false);
        await RunOnceAsync(context, breaker: false, "breaker.off").ConfigureAwait(false);
    }

    private static async Task RunOnceAsync(BenchmarkContext context, bool breaker, string prefix)
    {
        var dir = Directory.CreateTempSubdirectory("actormq-bench-breaker.").FullName;
        var queue = $"bench.breaker.{Guid.NewGuid():N}"[..24];
        try
        {
            var clock = Stopwatch.StartNew();
            var handled = new ConcurrentDictionary<string, byte>();
            await using var lease = BenchActorSystem.Create("bench-breaker", Config(context, dir, queue, breaker));
            var client = await ActorMqClient.StartAsync(lease.System, configure: b => b.AddHandler<byte[]>(queue, (_, c, _) =>
            {
                var now = clock.Elapsed;
                if (now >= DownFrom && now < DownUntil) throw new InvalidOperationException("the downstream service does not answer");
                handled.TryAdd(c.MessageId!, 0);
                return Task.CompletedTask;
            })).ConfigureAwait(false);
            await client.WaitUntilReadyAsync().ConfigureAwait(false);

            clock.Restart();
            using var pace = new PeriodicTimer(Interval);
            var confirms = new List<Task>(Messages);
            for (var i = 0; i < Messages; i++)
            {
                confirms.Add(client.SendAsync(queue, new byte[128], new PublishOptions { MessageId = $"m-{i}" }));
                await pace.WaitForNextTickAsync().ConfigureAwait(false);
            }
            await Task.WhenAll(confirms).ConfigureAwait(false);

            // Every message ends handled or dead-lettered; wait for that (bounded).
            var settled = Stopwatch.StartNew();
            while (handled.Count + client.GetStatistics().DeadLettered < Messages && settled.Elapsed < TimeSpan.FromMinutes(2))
                await Task.Delay(100).ConfigureAwait(false);
            var statistics = client.GetStatistics();
            context.Note($"breaker {(breaker ? "on" : "off")}: {statistics.Failed} handler failures, settled {settled.Elapsed.TotalSeconds:0.0} s after the last publish");
            context.Report($"{prefix}.deadlettered", statistics.DeadLettered);
            context.Report($"{prefix}.retry_copies", statistics.Retried);
            context.Report($"{prefix}.handled", handled.Count);
            await client.StopAsync().ConfigureAwait(false);
            await DeleteQueuesAsync(context, queue).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Config Config(BenchmarkContext context, string dir, string queue, bool breaker) => ConfigurationFactory.ParseString($$"""
        actormq {
          connection.uris = ["{{context.AmqpUri}}"]
          consumers."{{queue}}" {
            retry { delays = [1s, 2s], max-attempts = 3 }
            circuit-breaker { enabled = {{(breaker ? "on" : "off")}}, max-failures = 5, within = 10s, reset-timeout = 1s, max-reset-timeout = 5s }
          }
          dead-store.sqlite { path = "{{Path.Combine(dir, "dead.db")}}" }
        }
        """);

    private static async Task DeleteQueuesAsync(BenchmarkContext context, string queue)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(context.AmqpUri!) };
        await using var connection = await factory.CreateConnectionAsync().ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync().ConfigureAwait(false);
        foreach (var name in new[] { queue, $"{queue}.retry.1s", $"{queue}.retry.2s" })
            await channel.QueueDeleteAsync(name, ifUnused: false, ifEmpty: false).ConfigureAwait(false);
    }
}
