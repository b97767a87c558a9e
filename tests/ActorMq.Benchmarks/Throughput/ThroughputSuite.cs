using ActorMq.Connection;

namespace ActorMq.Benchmarks.Throughput;

/// <summary>
/// <c>./build.sh bench throughput</c>: publish and consume+ack throughput of the peers side by side against one private
/// broker — 50,000 persistent 256-byte messages, publisher confirms (512 in flight), prefetch 100. Peers: raw
/// RabbitMQ.Client 7.1.2 (ack each; ack <c>multiple</c> every 50, the broker's ceiling) and MassTransit 8.4.0.
/// ActorMq joins through <see cref="Contenders"/>; each contender's figures are printed with its ratios to the peers.
/// </summary>
public sealed class ThroughputSuite : IBenchmarkSuite
{
    /// <summary>
    /// Extension point: the sides measured against the peers. The ActorMq side (publishing through the PublisherActors and
    /// consuming through a ConsumerActor with the same message count, size, prefetch and confirms) is added here once the
    /// actors exist; it prints the ratio figures and <c>throughput.rss_mb_100k_waiting</c>.
    /// </summary>
    public static IReadOnlyList<IThroughputContender> Contenders { get; } = [new ActorMqContender()];

    public string Name => "throughput";

    public string Description => "publish and consume+ack msg/s: raw RabbitMQ.Client, MassTransit (and ActorMq) on one broker";

    public async Task RunAsync(BenchmarkContext context)
    {
        if (context.AmqpUri is null)
        {
            context.Note("ACTORMQ_TEST_AMQP_URI is not set: start a broker (./build.sh bench throughput does) and set it to its amqp:// URI");
            return;
        }
        var options = ThroughputOptions.Default;
        context.Note($"broker {UriMasker.MaskUri(context.AmqpUri)}, {options.MessageCount} messages of {options.BodySize} bytes, persistent, confirms ({options.PublishWindow} in flight), prefetch {options.Prefetch}");
        await using var broker = await BenchmarkBroker.ConnectAsync(context.AmqpUri, options).ConfigureAwait(false);

        // Warm-up (JIT, connection, broker caches): not reported.
        await RawPeer.PublishAsync(broker, broker.NewQueueName("warmup"), options.WarmupCount).ConfigureAwait(false);

        var raw = await RawPeer.MeasureAsync(broker, context).ConfigureAwait(false);
        var massTransit = await MassTransitPeer.MeasureAsync(broker, context).ConfigureAwait(false);
        var peers = new PeerFigures(raw.Publish, raw.Consume, raw.ConsumeMultiple, massTransit.Publish, massTransit.Consume);
        context.Note($"raw multiple-ack consumer / naive raw consumer = {peers.RawConsumeMultiple / peers.RawConsume:0.00}x; MassTransit / raw: publish {peers.MassTransitPublish / peers.RawPublish:0.00}x, consume {peers.MassTransitConsume / peers.RawConsume:0.00}x");

        foreach (var contender in Contenders)
        {
            var result = await contender.RunAsync(broker, context).ConfigureAwait(false);
            context.Report($"throughput.publish.{contender.Key}.msg_per_s", result.PublishPerSecond);
            context.Report($"throughput.consume.{contender.Key}.msg_per_s", result.ConsumePerSecond);
            context.Report("throughput.publish.ratio_vs_raw", result.PublishPerSecond / peers.RawPublish);
            context.Report("throughput.consume.ratio_vs_raw", result.ConsumePerSecond / peers.RawConsume);
            context.Report("throughput.publish.ratio_vs_masstransit", result.PublishPerSecond / peers.MassTransitPublish);
            context.Report("throughput.consume.ratio_vs_masstransit", result.ConsumePerSecond / peers.MassTransitConsume);
            if (result.RssMbWith100kWaiting is { } rss) context.Report("throughput.rss_mb_100k_waiting", rss);
        }
    }
}

/// <summary>The workload, identical for every side.</summary>
/// <param name="MessageCount">Messages per measurement.</param>
/// <param name="BodySize">Body bytes.</param>
/// <param name="Prefetch">Consumer prefetch.</param>
/// <param name="PublishWindow">Unconfirmed publishes in flight.</param>
/// <param name="AckMultipleEvery">The raw multiple-ack consumer acks every this many deliveries.</param>
/// <param name="WarmupCount">Messages published once before measuring.</param>
public sealed record ThroughputOptions(int MessageCount, int BodySize, ushort Prefetch, int PublishWindow, int AckMultipleEvery, int WarmupCount)
{
    public static ThroughputOptions Default { get; } = new(50_000, 256, 100, 512, 50, 5_000);
}

/// <summary>The peers' msg/s, the baseline a contender is compared with.</summary>
public sealed record PeerFigures(double RawPublish, double RawConsume, double RawConsumeMultiple, double MassTransitPublish, double MassTransitConsume);

/// <summary>A contender's figures.</summary>
/// <param name="PublishPerSecond">Publish msg/s (completed on the broker's confirm).</param>
/// <param name="ConsumePerSecond">Consume+ack msg/s.</param>
/// <param name="RssMbWith100kWaiting">Resident memory (MiB) while 100,000 messages wait in its consumed queue; <c>null</c> when not measured.</param>
public sealed record ContenderResult(double PublishPerSecond, double ConsumePerSecond, double? RssMbWith100kWaiting);

/// <summary>A side measured against the peers (ActorMq). Must take fresh queue names from <see cref="BenchmarkBroker.NewQueueName"/> (deleted after the run).</summary>
public interface IThroughputContender
{
    /// <summary>Short key used in figure names, e.g. <c>actormq</c>.</summary>
    string Key { get; }

    /// <summary>Runs the same workload (<see cref="BenchmarkBroker.Options"/>) and returns its figures.</summary>
    Task<ContenderResult> RunAsync(BenchmarkBroker broker, BenchmarkContext context);
}
