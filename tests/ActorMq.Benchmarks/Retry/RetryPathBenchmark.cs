using System.Collections.Concurrent;
using System.Diagnostics;
using ActorMq.Actors;
using ActorMq.DeadStore;
using ActorMq.Hocon;
using DeadLetter = ActorMq.DeadStore.DeadLetter;

namespace ActorMq.Benchmarks.Retry;

/// <summary>
/// The retry path on the real broker. Redelivery overhead: a handler fails each message once; the time from the failure
/// to the second delivery, minus the tier's TTL, is what ActorMq and the broker add (retry copy published with a confirm,
/// original acked, TTL expiry, dead-lettering back to the queue, delivery) — figure
/// <c>retry.redelivery_overhead_ms.median</c>. Replay: dead letters republished with confirms and marked in SQLite,
/// against plain ActorMq publishing of the same messages in the same run — figure <c>retry.replay.ratio_vs_publish</c>.
/// </summary>
internal sealed class RetryPathBenchmark : IRetryMeasurement
{
    private const int RedeliveryMessages = 200;
    private const int ReplayMessages = 5_000;
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
        await using var system = ActorSystem.Create("bench-retry", Config(context, dir, queue));
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
        await using var system = ActorSystem.Create("bench-replay", Config(context, dir, queue));
        var client = await ActorMqClient.StartAsync(system, configure: b => b.WithoutConsumers()).ConfigureAwait(false);
        await client.WaitUntilReadyAsync().ConfigureAwait(false);
        var body = new byte[256];
        new Random(7).NextBytes(body);

        // Plain publishing of the same messages, same client, same run.
        await Task.WhenAll(Enumerable.Range(0, 1_000).Select(_ => client.SendAsync(queue, body))).ConfigureAwait(false); // warm-up
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, ReplayMessages).Select(_ => client.SendAsync(queue, body))).ConfigureAwait(false);
        var publishPerSecond = ReplayMessages / stopwatch.Elapsed.TotalSeconds;

        var store = client.DeadLetterStore;
        await store.InitializeAsync().ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        var letters = Enumerable.Range(0, ReplayMessages).Select(i => new DeadLetter
        {
            MessageId = $"dead-{i}", Queue = queue, Body = body, ErrorType = "System.InvalidOperationException", ErrorMessage = "bench",
            Attempts = 4, FirstFailedAt = now, DeadAt = now,
            Headers = new Dictionary<string, object?> { ["retry-count"] = 3, ["error-type"] = "System.InvalidOperationException" },
        }).ToList();
        foreach (var chunk in letters.Chunk(500)) await store.AddBatchAsync(chunk).ConfigureAwait(false);

        stopwatch.Restart();
        var result = await client.ReplayDeadLettersAsync(new DeadLetterFilter { Queue = queue }, new ReplayOptions { BatchSize = 512 }).ConfigureAwait(false);
        var replayPerSecond = result.Replayed / stopwatch.Elapsed.TotalSeconds;
        if (result.Replayed != ReplayMessages) throw new InvalidOperationException($"replayed {result.Replayed} of {ReplayMessages}");
        context.Report("retry.replay.msg_per_s", replayPerSecond);
        context.Report("retry.replay.publish_msg_per_s", publishPerSecond);
        context.Report("retry.replay.ratio_vs_publish", replayPerSecond / publishPerSecond);
        await client.StopAsync().ConfigureAwait(false);
        await DeleteQueuesAsync(context, queue).ConfigureAwait(false);
    }

    private static Config Config(BenchmarkContext context, string dir, string queue) => ConfigFactory.ParseString($$"""
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
