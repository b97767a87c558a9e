using ActorMq.Connection;

namespace ActorMq.Benchmarks.Throughput;

/// <summary>
/// <c>./build.sh bench throughput</c>: publish and consume+ack throughput of ActorMq and its peers side by side against
/// one private broker — 50,000 persistent 256-byte messages, publisher confirms (512 in flight), prefetch 100. Peers:
/// raw RabbitMQ.Client 7.2.2 (ack each; ack <c>multiple</c> every 50, the broker's ceiling) and MassTransit 8.5.12 (on the same client).
/// <para>
/// The broker is the bottleneck and its speed drifts during a run (disk flushes, its message store's housekeeping), so
/// the sides take turns: <see cref="ThroughputOptions.Rounds"/> rounds, each measuring every side once (publish, then
/// consume what it just published), in an order that rotates from round to round. Each figure is the median over the rounds; each ratio is the median of the
/// per-round ratios (sides compared within the same round). Every round's figures and the CPU each side used (client
/// process and broker) are printed as notes.
/// </para>
/// </summary>
public sealed class ThroughputSuite : IBenchmarkSuite
{
    public string Name => "throughput";

    public string Description => "publish and consume+ack msg/s: ActorMq, raw RabbitMQ.Client and MassTransit on one broker, in rounds";

    public async Task RunAsync(BenchmarkContext context)
    {
        if (context.AmqpUri is null)
        {
            context.Note("ACTORMQ_TEST_AMQP_URI is not set: start a broker (./build.sh bench throughput does) and set it to its amqp:// URI");
            return;
        }
        var options = ThroughputOptions.FromEnvironment();
        context.Note($"broker {UriMasker.MaskUri(context.AmqpUri)}, {options.MessageCount} messages of {options.BodySize} bytes, persistent, " +
                     $"confirms ({options.PublishWindow} in flight), prefetch {options.Prefetch}, {options.Rounds} rounds");
        context.Note("every side sends the same message: body, persistent, content type, a message id and a timestamp (ActorMq's envelope; MassTransit adds its own)");
        await using var broker = await BenchmarkBroker.ConnectAsync(context.AmqpUri, options).ConfigureAwait(false);

        // Warm-up (JIT, connections, broker caches): not reported.
        var warmup = broker.NewQueueName("warmup");
        await RawPeer.PublishAsync(broker, warmup, options.WarmupCount).ConfigureAwait(false);
        await broker.DeleteQueueAsync(warmup).ConfigureAwait(false);

        IThroughputSide[] sides = [new RawSide(), new MassTransitSide(), new ActorMqSide(), new RawBareSide()];
        // ACTORMQ_BENCH_SIDES=actormq runs only the named sides (for a profiler); ratios then need both of their sides.
        if (Environment.GetEnvironmentVariable("ACTORMQ_BENCH_SIDES") is { Length: > 0 } only)
        {
            var keys = only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var unknown = keys.Except(sides.Select(s => s.Key)).ToList();
            if (unknown.Count > 0)
                throw new ArgumentException($"ACTORMQ_BENCH_SIDES names unknown sides: {string.Join(", ", unknown)} (known: {string.Join(", ", sides.Select(s => s.Key))})");
            sides = [.. sides.Where(s => keys.Contains(s.Key))];
        }
        var figures = new RoundFigures();
        for (var round = 0; round < options.Rounds; round++)
        {
            var order = sides.Skip(round % sides.Length).Concat(sides.Take(round % sides.Length)).ToList();
            foreach (var side in order)
            {
                // Publish, then consume that queue at once: every side's consumer starts from the same broker state (a
                // queue just filled), whatever ran before it.
                var queue = broker.NewQueueName($"{side.Key}-{round + 1}");
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
            context.Report($"throughput.{name}.msg_per_s", figures.Median(name));
        foreach (var name in figures.Names.Where(n => n.Contains("_cpu.", StringComparison.Ordinal)))
            context.Report($"throughput.{name.Replace("_cpu.", ".", StringComparison.Ordinal)}.client_us_per_msg", figures.Median(name));
        if (sides.Length < 4)
        {
            context.Note("only some sides ran (ACTORMQ_BENCH_SIDES): no ratios");
            return;
        }
        context.Note($"medians: raw multiple-ack consumer / naive raw consumer = {figures.MedianRatio("consume.raw_multiple", "consume.raw"):0.00}x; " +
                     $"MassTransit / raw: publish {figures.MedianRatio("publish.masstransit", "publish.raw"):0.00}x, consume {figures.MedianRatio("consume.masstransit", "consume.raw"):0.00}x");
        context.Report("throughput.publish.ratio_vs_raw", figures.MedianRatio("publish.actormq", "publish.raw"));
        context.Report("throughput.consume.ratio_vs_raw", figures.MedianRatio("consume.actormq", "consume.raw"));
        context.Report("throughput.publish.ratio_vs_masstransit", figures.MedianRatio("publish.actormq", "publish.masstransit"));
        context.Report("throughput.consume.ratio_vs_masstransit", figures.MedianRatio("consume.actormq", "consume.masstransit"));
        // The broker is the limit on throughput here; the client's own CPU per message is what shows ActorMq's cost.
        context.Report("throughput.publish.client_cpu_ratio_vs_raw", figures.MedianRatio("publish_cpu.actormq", "publish_cpu.raw"));
        context.Report("throughput.consume.client_cpu_ratio_vs_raw", figures.MedianRatio("consume_cpu.actormq", "consume_cpu.raw"));
        context.Report("throughput.rss_mb_100k_waiting", await ActorMqSide.RssWithWaitingAsync(broker, context).ConfigureAwait(false));
    }
}

/// <summary>The workload, identical for every side.</summary>
/// <param name="MessageCount">Messages per measurement.</param>
/// <param name="BodySize">Body bytes.</param>
/// <param name="Prefetch">Consumer prefetch.</param>
/// <param name="PublishWindow">Unconfirmed publishes in flight.</param>
/// <param name="AckMultipleEvery">The raw multiple-ack consumer acks every this many deliveries.</param>
/// <param name="WarmupCount">Messages published once before measuring.</param>
/// <param name="Rounds">Rounds in which every side is measured once.</param>
public sealed record ThroughputOptions(int MessageCount, int BodySize, ushort Prefetch, int PublishWindow, int AckMultipleEvery, int WarmupCount, int Rounds)
{
    public static ThroughputOptions Default { get; } = new(50_000, 256, 100, 512, 50, 5_000, 3);

    /// <summary>
    /// <see cref="Default"/>, with <c>ACTORMQ_BENCH_ROUNDS</c> overriding the rounds and <c>ACTORMQ_BENCH_MESSAGES</c> the
    /// messages per side and round (positive integers; a longer run gives a profiler time to attach).
    /// </summary>
    public static ThroughputOptions FromEnvironment() => Default with
    {
        Rounds = PositiveFromEnvironment("ACTORMQ_BENCH_ROUNDS") ?? Default.Rounds,
        MessageCount = PositiveFromEnvironment("ACTORMQ_BENCH_MESSAGES") ?? Default.MessageCount,
    };

    private static int? PositiveFromEnvironment(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(value)) return null;
        return int.TryParse(value, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive integer, not '{value}'");
    }
}

/// <summary>One side of the comparison. Publishes and consumes the workload (<see cref="BenchmarkBroker.Options"/>).</summary>
internal interface IThroughputSide
{
    /// <summary>Short key used in figure names, e.g. <c>actormq</c>.</summary>
    string Key { get; }

    /// <summary>
    /// Publishes the workload to <paramref name="queue"/> (fresh, from <see cref="BenchmarkBroker.NewQueueName"/>); returns
    /// msg/s until the last confirm and the CPU of the timed loop (a side's start-up, warm-up and stop are not counted).
    /// </summary>
    Task<PublishRun> PublishAsync(BenchmarkBroker broker, string queue);

    /// <summary>Consumes and acks what <see cref="PublishAsync"/> put in <paramref name="queue"/>; returns msg/s per variant (the raw side has two) with a CPU note.</summary>
    Task<IReadOnlyList<(string Variant, double Rate, CpuUse Cpu)>> ConsumeAsync(BenchmarkBroker broker, string queue);
}

/// <summary>Per-round figures by name; medians over the rounds.</summary>
internal sealed class RoundFigures
{
    private readonly Dictionary<string, List<double>> _figures = new(StringComparer.Ordinal);

    public IEnumerable<string> Names => _figures.Keys;

    public void Add(string name, double value)
    {
        if (!_figures.TryGetValue(name, out var list)) _figures[name] = list = [];
        list.Add(value);
    }

    public double Median(string name) => MedianOf(_figures[name]);

    /// <summary>The median over the rounds of <paramref name="numerator"/> / <paramref name="denominator"/> of the same round.</summary>
    public double MedianRatio(string numerator, string denominator) =>
        MedianOf(_figures[numerator].Zip(_figures[denominator], (n, d) => n / d).ToList());

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double MedianOf(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
