using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using RabbitMQ.Client;

namespace ActorMq.Benchmarks.Throughput;

/// <summary>
/// ActorMq on the same broker and workload as the peers: SendAsync with confirms (the publisher keeps
/// <c>max-in-flight = 512</c> unconfirmed, like the raw peer's window), and a consumer with prefetch 100, manual acks
/// coalesced exactly with <c>multiple</c> across concurrent handlers. Consume is timed from the first handled message to
/// the last (as for MassTransit: ActorMq's start-up is not counted). Also resident memory with 100,000 messages waiting
/// in the queue and a consumer holding its prefetch window.
/// </summary>
internal sealed class ActorMqSide : IThroughputSide
{
    public string Key => "actormq";

    public async Task<PublishRun> PublishAsync(BenchmarkBroker broker, string queue)
    {
        var count = broker.Options.MessageCount;
        await broker.DeclareQueueAsync(queue).ConfigureAwait(false);
        await using var lease = BenchActorSystem.Create("bench-publish", Config(broker, queue));
        var system = lease.System;
        var client = await ActorMqClient.StartAsync(system, configure: b => b.WithoutConsumers()).ConfigureAwait(false);
        await client.WaitUntilReadyAsync().ConfigureAwait(false);
        // Warm-up, not counted.
        await Task.WhenAll(Enumerable.Range(0, 2_000).Select(_ => client.SendAsync(queue, broker.Body))).ConfigureAwait(false);
        await PurgeAsync(broker, queue).ConfigureAwait(false);

        var run = await SendAsync(client, queue, broker.Body, count).ConfigureAwait(false);
        await client.StopAsync().ConfigureAwait(false);
        return run;
    }

    /// <summary>
    /// Sends <paramref name="count"/> copies of <paramref name="body"/> to <paramref name="queue"/> with SendAsync, up to
    /// 4,096 awaiting their confirms (the publisher itself keeps max-in-flight on the wire); msg/s until the last confirm,
    /// and the CPU of that loop. <paramref name="options"/> (headers, say) go with every copy.
    /// </summary>
    public static async Task<PublishRun> SendAsync(ActorMqClient client, string queue, byte[] body, int count, PublishOptions? options = null)
    {
        var window = new Queue<Task>(4096);
        var cpu = CpuMeter.Start();
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            if (window.Count >= 4096) await window.Dequeue().ConfigureAwait(false);
            window.Enqueue(options is null ? client.SendAsync(queue, body) : client.SendAsync(queue, body, options));
        }
        await Task.WhenAll(window).ConfigureAwait(false);
        return new PublishRun(count / stopwatch.Elapsed.TotalSeconds, cpu.Describe(count));
    }

    public async Task<IReadOnlyList<(string Variant, double Rate, CpuUse Cpu)>> ConsumeAsync(BenchmarkBroker broker, string queue)
    {
        var count = broker.Options.MessageCount;
        var handled = 0;
        long first = 0, last = 0;
        CpuMeter? cpu = null;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var lease = BenchActorSystem.Create("bench-consume", Config(broker, queue));
        var system = lease.System;
        var client = await ActorMqClient.StartAsync(system, configure: b => b.AddHandler<byte[]>(queue, (_, _, _) =>
        {
            var n = Interlocked.Increment(ref handled);
            if (n == 1)
            {
                cpu = CpuMeter.Start();
                Interlocked.Exchange(ref first, Stopwatch.GetTimestamp());
            }
            if (n == count)
            {
                Interlocked.Exchange(ref last, Stopwatch.GetTimestamp());
                done.TrySetResult();
            }
            return Task.CompletedTask;
        })).ConfigureAwait(false);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        var cpuNote = cpu!.Describe(count - 1);
        var rate = (count - 1) / Stopwatch.GetElapsedTime(first, last).TotalSeconds;
        await client.StopAsync().ConfigureAwait(false);
        await DeleteTiersAsync(broker, queue).ConfigureAwait(false);
        return [("actormq", rate, cpuNote)];
    }

    /// <summary>Resident memory of this process while 100,000 messages wait and a consumer's handlers hold the prefetch window.</summary>
    public static async Task<double> RssWithWaitingAsync(BenchmarkBroker broker, BenchmarkContext context)
    {
        const int waiting = 100_000;
        var queue = broker.NewQueueName("actormq-rss");
        await RawPeer.PublishAsync(broker, queue, waiting).ConfigureAwait(false);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        double rss;
        await using (var lease = BenchActorSystem.Create("bench-rss", Config(broker, queue)))
        {
            var system = lease.System;
            var client = await ActorMqClient.StartAsync(system, configure: b => b.AddHandler<byte[]>(queue, async (_, _, _) =>
            {
                Interlocked.Increment(ref started);
                await release.Task.ConfigureAwait(false);
            })).ConfigureAwait(false);
            await client.WaitUntilReadyAsync().ConfigureAwait(false);
            while (client.GetStatistics().Consumed < broker.Options.Prefetch) await Task.Delay(50).ConfigureAwait(false);
            await Task.Delay(500).ConfigureAwait(false); // nothing more arrives: the broker holds the rest
            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            rss = process.WorkingSet64 / (1024.0 * 1024.0);
            context.Note($"actormq: {client.GetStatistics().Consumed} of {waiting} messages delivered (prefetch {broker.Options.Prefetch}), {started} in handlers, RSS {rss:0} MB");
            release.TrySetResult();
            await client.StopAsync().ConfigureAwait(false);
        }
        await DeleteTiersAsync(broker, queue).ConfigureAwait(false);
        return rss;
    }

    /// <summary>ActorMq's configuration for one side: this broker, consumer <paramref name="queue"/> with the workload's prefetch (also used by the streams suite).</summary>
    internal static Config Config(BenchmarkBroker broker, string queue)
    {
        var e = broker.Endpoint;
        var uri = $"amqp://{e.UserName ?? "guest"}:{e.Password ?? "guest"}@{e.Host}:{e.Port}/{Uri.EscapeDataString(e.VirtualHost ?? "/")}";
        return ConfigurationFactory.ParseString($$"""
            actormq {
              connection.uris = ["{{uri}}"]
              consumers."{{queue}}" { prefetch = {{broker.Options.Prefetch}}, concurrency = 8 }
              # The peers share one plain queue, declared by the harness: no parked queue (an idle second consumer anyway).
              topology.parked-queue-pattern = ""
              dead-store.sqlite.path = "{{Path.Combine(Path.GetTempPath(), $"actormq-bench-{Environment.ProcessId}.db")}}"
            }
            """);
    }

    internal static async Task PurgeAsync(BenchmarkBroker broker, string queue)
    {
        await using var channel = await broker.Connection.CreateChannelAsync().ConfigureAwait(false);
        await channel.QueuePurgeAsync(queue).ConfigureAwait(false);
    }

    internal static async Task DeleteTiersAsync(BenchmarkBroker broker, string queue)
    {
        await using var channel = await broker.Connection.CreateChannelAsync().ConfigureAwait(false);
        foreach (var tier in new[] { "5s", "30s", "5m" })
            await channel.QueueDeleteAsync($"{queue}.retry.{tier}", ifUnused: false, ifEmpty: false).ConfigureAwait(false);
    }
}
