using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using ActorMq.DeadStore;
using Akka.Configuration;
using DeadLetter = ActorMq.DeadStore.DeadLetter;

namespace ActorMq.Benchmarks.Retry;

/// <summary>
/// The retry path on the real broker. Redelivery overhead: a handler fails each message once; the time from the failure
/// to the second delivery, minus the tier's TTL, is what ActorMq and the broker add (retry copy published with a confirm,
/// original acked, TTL expiry, dead-lettering back to the queue, delivery) — figure
/// <c>retry.redelivery_overhead_ms.median</c>. Replay: 20,000 dead letters republished with confirms and marked in SQLite,
/// against plain ActorMq publishing of the same messages by the same client, in five alternating rounds after a warm-up
/// of both — figure <c>retry.replay.ratio_vs_publish</c> (median of the rounds' ratios). Each round also publishes the same
/// messages with the headers their replayed copies carry (the stored error type and the replay's three), so that
/// <c>retry.replay.ratio_vs_publish_with_replay_headers</c> shows what replay costs beyond its headers.
/// </summary>
internal sealed class RetryPathBenchmark : IRetryMeasurement
{
    private const int RedeliveryMessages = 200;
    private const int ReplayMessages = 20_000;
    private const int ReplayRounds = 5;
    private static readonly TimeSpan TierDelay = TimeSpan.FromMilliseconds(200);

    public int Order => 200;

    public async Task RunAsync(BenchmarkContext context)
    {
        if (context.AmqpUri is null)
        {
            context.Note("retry path skipped: ACTORMQ_TEST_AMQP_URI is not set (./build.sh bench retry starts a broker)");
            return;
        }
        var dir = Directory.CreateTempSubdirectory("actormq-bench-retry.").FullName;
        try
        {
            await RedeliveryOverheadAsync(context, dir).ConfigureAwait(false);
            await ReplayAsync(context, dir).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task RedeliveryOverheadAsync(BenchmarkContext context, string dir)
    {
        var queue = $"bench.retry.{Guid.NewGuid():N}"[..24];
        var failedAt = new ConcurrentDictionary<string, long>();
        var overheads = new ConcurrentBag<double>();
        await using var lease = BenchActorSystem.Create("bench-retry", Config(context, dir, queue));
        var system = lease.System;
        var client = await ActorMqClient.StartAsync(system, configure: b => b.AddHandler<byte[]>(queue, (_, c, _) =>
        {
            var now = Stopwatch.GetTimestamp();
            if (c.Attempt == 1)
            {
                failedAt[c.MessageId!] = now;
                throw new InvalidOperationException("first attempt fails");
            }
            overheads.Add(Stopwatch.GetElapsedTime(failedAt[c.MessageId!], now).TotalMilliseconds - TierDelay.TotalMilliseconds);
            return Task.CompletedTask;
        })).ConfigureAwait(false);
        await client.WaitUntilReadyAsync().ConfigureAwait(false);
        for (var i = 0; i < RedeliveryMessages; i++)
        {
            await client.SendAsync(queue, new byte[256], new PublishOptions { MessageId = $"m-{i}" }).ConfigureAwait(false);
            await Task.Delay(10).ConfigureAwait(false); // a steady flow, not a burst queued behind itself
        }
        var deadline = Stopwatch.StartNew();
        while (overheads.Count < RedeliveryMessages && deadline.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(50).ConfigureAwait(false);
        var sorted = overheads.Order().ToArray();
        context.Note($"redelivery overhead beyond the {TierDelay.TotalMilliseconds} ms tier over {sorted.Length} messages: p90 {sorted[(int)(sorted.Length * 0.9)]:0.0} ms, max {sorted[^1]:0.0} ms");
        context.Report("retry.redelivery_overhead_ms.median", sorted[sorted.Length / 2]);
        await client.StopAsync().ConfigureAwait(false);
        await DeleteQueuesAsync(context, queue).ConfigureAwait(false);
    }

    private static async Task ReplayAsync(BenchmarkContext context, string dir)
    {
        var queue = $"bench.replay.{Guid.NewGuid():N}"[..24];
        await using var lease = BenchActorSystem.Create("bench-replay", Config(context, dir, queue));
        var system = lease.System;
        var client = await ActorMqClient.StartAsync(system, configure: b => b.WithoutConsumers()).ConfigureAwait(false);
        await client.WaitUntilReadyAsync().ConfigureAwait(false);
        var body = new byte[256];
        new Random(7).NextBytes(body);
        var store = client.DeadLetterStore;
        await store.InitializeAsync().ConfigureAwait(false);

        // Warm-up of both paths (JIT, connection, the store's statements), not counted.
        await Throughput.ActorMqSide.SendAsync(client, queue, body, 5_000).ConfigureAwait(false);
        _ = await ReplayRowsAsync(client, store, queue, body, 5_000, "warmup").ConfigureAwait(false);
        await PurgeAsync(context, queue).ConfigureAwait(false);

        // Plain publishing and replay of the same messages take turns, the queue emptied before each: the broker's speed
        // drifts during a run, so each round's replay is compared with that round's plain publishing.
        var ratios = new List<double>();
        var headerRatios = new List<double>();
        var replays = new List<double>();
        var publishes = new List<double>();
        var withHeaders = new PublishOptions { Headers = ReplayedHeaders(await store.GetIdAsync().ConfigureAwait(false)) };
        for (var round = 1; round <= ReplayRounds; round++)
        {
            var (publishPerSecond, publishCpu) = await Throughput.ActorMqSide.SendAsync(client, queue, body, ReplayMessages).ConfigureAwait(false);
            await PurgeAsync(context, queue).ConfigureAwait(false);
            var (replayPerSecond, replayCpu) = await ReplayRowsAsync(client, store, queue, body, ReplayMessages, $"r{round}").ConfigureAwait(false);
            await PurgeAsync(context, queue).ConfigureAwait(false);
            var (headersPerSecond, headersCpu) = await Throughput.ActorMqSide.SendAsync(client, queue, body, ReplayMessages, withHeaders).ConfigureAwait(false);
            await PurgeAsync(context, queue).ConfigureAwait(false);
            context.Note($"replay round {round}: plain publish {publishPerSecond:0}/s ({publishCpu}), replay {replayPerSecond:0}/s ({replayCpu}): {replayPerSecond / publishPerSecond:0.00}x; " +
                $"plain publish with the replay's headers {headersPerSecond:0}/s ({headersCpu}): replay {replayPerSecond / headersPerSecond:0.00}x of it");
            publishes.Add(publishPerSecond);
            replays.Add(replayPerSecond);
            ratios.Add(replayPerSecond / publishPerSecond);
            headerRatios.Add(replayPerSecond / headersPerSecond);
        }
        context.Report("retry.replay.msg_per_s", Throughput.RoundFigures.MedianOf(replays));
        context.Report("retry.replay.publish_msg_per_s", Throughput.RoundFigures.MedianOf(publishes));
        context.Report("retry.replay.ratio_vs_publish", Throughput.RoundFigures.MedianOf(ratios));
        context.Report("retry.replay.ratio_vs_publish_with_replay_headers", Throughput.RoundFigures.MedianOf(headerRatios));
        await client.StopAsync().ConfigureAwait(false);
        await DeleteQueuesAsync(context, queue).ConfigureAwait(false);
    }

    /// <summary>
    /// The headers <see cref="ReplayRowsAsync"/>'s rows carry when replayed: their own error type (the replay drops the
    /// attempt header, <c>retry-count</c>), and the replay's three.
    /// </summary>
    private static Dictionary<string, object?> ReplayedHeaders(string storeId) => new()
    {
        ["error-type"] = "System.InvalidOperationException",
        [DeadLetterReplayer.ReplayedFromHeader] = "123456",
        [DeadLetterReplayer.ReplayedFromStoreHeader] = storeId,
        [DeadLetterReplayer.ReplayCountHeader] = 1,
    };

    /// <summary>Stores <paramref name="count"/> dead letters (untimed), then replays them all; replayed rows/s.</summary>
    private static async Task<(double PerSecond, string Cpu)> ReplayRowsAsync(ActorMqClient client, IDeadLetterStore store, string queue, byte[] body, int count, string prefix)
    {
        var now = DateTimeOffset.UtcNow;
        var letters = Enumerable.Range(0, count).Select(i => new DeadLetter
        {
            MessageId = $"{prefix}-{i}", Queue = queue, Body = body, ErrorType = "System.InvalidOperationException", ErrorMessage = "bench",
            Attempts = 4, FirstFailedAt = now, DeadAt = now,
            Headers = new Dictionary<string, object?> { ["retry-count"] = 3, ["error-type"] = "System.InvalidOperationException" },
        }).ToList();
        foreach (var chunk in letters.Chunk(500)) await store.AddBatchAsync(chunk).ConfigureAwait(false);

        var cpu = Throughput.CpuMeter.Start();
        var stopwatch = Stopwatch.StartNew();
        var result = await client.ReplayDeadLettersAsync(new DeadLetterFilter { Queue = queue }, new ReplayOptions { BatchSize = 512 }).ConfigureAwait(false);
        var perSecond = result.Replayed / stopwatch.Elapsed.TotalSeconds;
        var cpuNote = cpu.Describe(count).Text;
        if (result.Replayed != count) throw new InvalidOperationException($"replayed {result.Replayed} of {count}");
        return (perSecond, cpuNote);
    }

    private static async Task PurgeAsync(BenchmarkContext context, string queue)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(context.AmqpUri!) };
        await using var connection = await factory.CreateConnectionAsync().ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync().ConfigureAwait(false);
        await channel.QueuePurgeAsync(queue).ConfigureAwait(false);
    }

    private static Config Config(BenchmarkContext context, string dir, string queue) => ConfigurationFactory.ParseString($$"""
        actormq {
          connection.uris = ["{{context.AmqpUri}}"]
          consumers."{{queue}}" { concurrency = 8, retry { delays = [{{TierDelay.TotalMilliseconds}}ms], max-attempts = 3 } }
          dead-store.sqlite { path = "{{Path.Combine(dir, queue + ".db")}}", synchronous = normal }
        }
        """);

    private static async Task DeleteQueuesAsync(BenchmarkContext context, string queue)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(context.AmqpUri!) };
        await using var connection = await factory.CreateConnectionAsync().ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync().ConfigureAwait(false);
        await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false).ConfigureAwait(false);
        await channel.QueueDeleteAsync($"{queue}.retry.{TierDelay.TotalMilliseconds}ms", ifUnused: false, ifEmpty: false).ConfigureAwait(false);
    }
}
