using System.Diagnostics;
using ActorMq.Benchmarks.Throughput;
using ActorMq.Connection;
using ActorMq.Streams;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorMq.Benchmarks.Streams;

/// <summary>
/// <c>./build.sh bench streams</c>: ActorMq.Streams against raw RabbitMQ.Client 7.2.2 on one private broker, with the
/// throughput suite's workload (<see cref="ThroughputOptions"/>: 50,000 persistent 256-byte messages, prefetch 100, 512
/// publishes awaiting their confirms) and its raw side (<see cref="RawSide"/>: a windowed-confirms publisher; a naive
/// ack-each consumer and, for reference, one acking <c>multiple</c> every 50). The streams side publishes with
/// <see cref="ActorMqSink.Publish{T}"/> (the publish flow, parallelism 512) and consumes with
/// <see cref="ActorMqSource.Committable{T}"/> into <see cref="ActorMqCommitter.Sink{T}"/> (exact batched acks).
/// As in the throughput suite the sides take turns in rounds whose order rotates, each side consumes the queue it just
/// filled, figures are medians over the rounds and ratios medians of the rounds' ratios.
/// </summary>
public sealed class StreamsSuite : IBenchmarkSuite
{
    public string Name => "streams";

    public string Description => "committable source + committer and publish flow vs raw RabbitMQ.Client on one broker, in rounds";

    public async Task RunAsync(BenchmarkContext context)
    {
        if (context.AmqpUri is null)
        {
            context.Note("ACTORMQ_TEST_AMQP_URI is not set: start a broker (./build.sh bench streams does) and set it to its amqp:// URI");
            return;
        }
        var options = ThroughputOptions.FromEnvironment();
        context.Note($"broker {UriMasker.MaskUri(context.AmqpUri)}, {options.MessageCount} messages of {options.BodySize} bytes, persistent, " +
                     $"confirms ({options.PublishWindow} in flight), prefetch {options.Prefetch}, {options.Rounds} rounds");
        await using var broker = await BenchmarkBroker.ConnectAsync(context.AmqpUri, options).ConfigureAwait(false);
        var warmup = broker.NewQueueName("streams-warmup");
        await RawPeer.PublishAsync(broker, warmup, options.WarmupCount).ConfigureAwait(false);
        await broker.DeleteQueueAsync(warmup).ConfigureAwait(false);

        IThroughputSide[] sides = [new RawSide(), new StreamsSide()];
        var figures = new RoundFigures();
        for (var round = 0; round < options.Rounds; round++)
        {
            foreach (var side in sides.Skip(round % sides.Length).Concat(sides.Take(round % sides.Length)))
            {
                var queue = broker.NewQueueName($"streams-{side.Key}-{round + 1}");
                var (rate, publishCpu) = await side.PublishAsync(broker, queue).ConfigureAwait(false);
                await broker.EnsureCountAsync(queue, options.MessageCount, side.Key).ConfigureAwait(false);
                figures.Add($"publish.{side.Key}", rate);
                figures.Add($"publish_cpu.{side.Key}", publishCpu.ClientMicrosPerMessage);
                context.Note($"round {round + 1}: {side.Key} publish {rate:0} msg/s; {publishCpu}");
                foreach (var (variant, consumeRate, consumeCpu) in await side.ConsumeAsync(broker, queue).ConfigureAwait(false))
                {
                    figures.Add($"consume.{variant}", consumeRate);
                    figures.Add($"consume_cpu.{variant}", consumeCpu.ClientMicrosPerMessage);
                    context.Note($"round {round + 1}: {variant} consume {consumeRate:0} msg/s; {consumeCpu}");
                }
                await broker.DeleteQueueAsync(queue).ConfigureAwait(false);
            }
        }

        foreach (var name in figures.Names.Where(n => !n.Contains("_cpu.", StringComparison.Ordinal)))
            context.Report($"streams.{name}.msg_per_s", figures.Median(name));
        foreach (var name in figures.Names.Where(n => n.Contains("_cpu.", StringComparison.Ordinal)))
            context.Report($"streams.{name.Replace("_cpu.", ".", StringComparison.Ordinal)}.client_us_per_msg", figures.Median(name));
        context.Note($"median raw multiple-ack consumer / naive raw consumer = {figures.MedianRatio("consume.raw_multiple", "consume.raw"):0.00}x (the ceiling)");
        context.Report("streams.consume.ratio_vs_raw", figures.MedianRatio("consume.streams", "consume.raw"));
        context.Report("streams.publish.ratio_vs_raw", figures.MedianRatio("publish.streams", "publish.raw"));
    }
}

/// <summary>
/// ActorMq.Streams on the throughput workload: publishing through the publish sink (at most <see cref="ThroughputOptions.PublishWindow"/>
/// awaiting their confirms), consuming through a committable source into the committer sink. Consume is timed from the first
/// element to the last ack written (as the throughput suite's ActorMq side: start-up is not counted).
/// </summary>
internal sealed class StreamsSide : IThroughputSide
{
    public string Key => "streams";

    public async Task<PublishRun> PublishAsync(BenchmarkBroker broker, string queue)
    {
        var count = broker.Options.MessageCount;
        await broker.DeclareQueueAsync(queue).ConfigureAwait(false);
        await using var lease = BenchActorSystem.Create("bench-streams-publish", ActorMqSide.Config(broker, queue));
        var system = lease.System;
        var materializer = system.Materializer();
        var client = await ActorMqClient.StartAsync(system, configure: b => b.WithoutConsumers()).ConfigureAwait(false);
        await client.WaitUntilReadyAsync().ConfigureAwait(false);
        // Warm-up, not counted.
        await PublishAsync(client, materializer, queue, broker.Body, 2_000, broker.Options.PublishWindow).ConfigureAwait(false);
        await ActorMqSide.PurgeAsync(broker, queue).ConfigureAwait(false);

        var cpu = CpuMeter.Start();
        var stopwatch = Stopwatch.StartNew();
        await PublishAsync(client, materializer, queue, broker.Body, count, broker.Options.PublishWindow).ConfigureAwait(false);
        var run = new PublishRun(count / stopwatch.Elapsed.TotalSeconds, cpu.Describe(count));
        await client.StopAsync().ConfigureAwait(false);
        return run;
    }

    private static Task PublishAsync(ActorMqClient client, IMaterializer materializer, string queue, byte[] body, int count, int parallelism) =>
        Source.From(Enumerable.Range(0, count))
            .Select(_ => PublishRequest.Create("", queue, body))
            .RunWith(ActorMqSink.Publish<byte[]>(client, parallelism), materializer);

    public async Task<IReadOnlyList<(string Variant, double Rate, CpuUse Cpu)>> ConsumeAsync(BenchmarkBroker broker, string queue)
    {
        var count = broker.Options.MessageCount;
        long first = 0;
        CpuMeter? cpu = null;
        await using var lease = BenchActorSystem.Create("bench-streams-consume", ActorMqSide.Config(broker, queue));
        var system = lease.System;
        var client = await ActorMqClient.StartAsync(system, configure: b => b.AddCommittableSource(queue)).ConfigureAwait(false);
        await client.WaitUntilReadyAsync().ConfigureAwait(false);
        var (control, done) = ActorMqSource.Committable<byte[]>(client, queue)
            .Select(d =>
            {
                if (first == 0)
                {
                    cpu = CpuMeter.Start();
                    first = Stopwatch.GetTimestamp();
                }
                return d;
            })
            .Take(count)
            .ToMaterialized(ActorMqCommitter.Sink<byte[]>(), Keep.Both)
            .Run(system.Materializer());
        await done.WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        var last = Stopwatch.GetTimestamp();
        var cpuNote = cpu!.Describe(count - 1);
        var rate = (count - 1) / Stopwatch.GetElapsedTime(first, last).TotalSeconds;
        await control.WhenShutdown.WaitAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        await client.StopAsync().ConfigureAwait(false);
        await ActorMqSide.DeleteTiersAsync(broker, queue).ConfigureAwait(false);
        return [("streams", rate, cpuNote)];
    }
}
