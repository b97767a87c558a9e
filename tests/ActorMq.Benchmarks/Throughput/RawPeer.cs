using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ActorMq.Benchmarks.Throughput;

/// <summary>
/// Plain RabbitMQ.Client 7.1.2, the way its own PublisherConfirms sample and a careful user write it: a confirm channel
/// with confirmation tracking and a window of 512 unconfirmed publishes; consumers with prefetch 100 and manual acks,
/// acking each delivery (the naive consumer) or acking with <c>multiple</c> every 50 deliveries.
/// </summary>
internal static class RawPeer
{
    /// <summary>
    /// Publishes <paramref name="count"/> persistent messages to a fresh durable <paramref name="queue"/>; returns msg/s
    /// (until the last confirm). With <paramref name="envelope"/> each message carries what every ActorMq message carries
    /// (content type, a time-ordered message id, a timestamp); without it only the content type. The CPU is measured over
    /// the timed loop only, as for every side: channel set-up is not a per-message cost.
    /// </summary>
    public static async Task<PublishRun> PublishAsync(BenchmarkBroker broker, string queue, int count, bool envelope = true)
    {
        await broker.DeclareQueueAsync(queue).ConfigureAwait(false);
        var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true,
            outstandingPublisherConfirmationsRateLimiter: null);
        await using var channel = await broker.Connection.CreateChannelAsync(options).ConfigureAwait(false);
        var bare = new BasicProperties { Persistent = true, ContentType = "application/octet-stream" };
        var window = new Queue<Task>(broker.Options.PublishWindow);
        var cpu = CpuMeter.Start();
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            if (window.Count >= broker.Options.PublishWindow) await window.Dequeue().ConfigureAwait(false);
            var properties = envelope
                ? new BasicProperties
                {
                    Persistent = true,
                    ContentType = "application/octet-stream",
                    MessageId = Guid.CreateVersion7().ToString("N"),
                    Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
                }
                : bare;
            window.Enqueue(channel.BasicPublishAsync("", queue, mandatory: true, properties, broker.Body).AsTask());
        }
        await Task.WhenAll(window).ConfigureAwait(false);
        return new PublishRun(count / stopwatch.Elapsed.TotalSeconds, cpu.Describe(count));
    }

    /// <summary>Consumes <paramref name="count"/> messages with prefetch, acking every <paramref name="ackEvery"/> deliveries (multiple when > 1); returns msg/s.</summary>
    public static async Task<double> ConsumeAsync(BenchmarkBroker broker, string queue, int count, int ackEvery)
    {
        await using var channel = await broker.Connection.CreateChannelAsync().ConfigureAwait(false);
        await channel.BasicQosAsync(0, broker.Options.Prefetch, global: false).ConfigureAwait(false);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = 0;
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var n = ++received; // one dispatcher: deliveries arrive one at a time
            if (ackEvery == 1) await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false).ConfigureAwait(false);
            else if (n % ackEvery == 0 || n == count) await channel.BasicAckAsync(delivery.DeliveryTag, multiple: true).ConfigureAwait(false);
            if (n == count) done.TrySetResult();
        };
        var stopwatch = Stopwatch.StartNew();
        var tag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer).ConfigureAwait(false);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        var rate = count / stopwatch.Elapsed.TotalSeconds;
        await channel.BasicCancelAsync(tag).ConfigureAwait(false);
        return rate;
    }
}

/// <summary>The raw side: publishes with ActorMq's envelope; consumes naively (ack each) and with multiple acks (a second queue, filled untimed).</summary>
internal sealed class RawSide : IThroughputSide
{
    public string Key => "raw";

    public Task<PublishRun> PublishAsync(BenchmarkBroker broker, string queue) => RawPeer.PublishAsync(broker, queue, broker.Options.MessageCount);

    public async Task<IReadOnlyList<(string Variant, double Rate, CpuUse Cpu)>> ConsumeAsync(BenchmarkBroker broker, string queue)
    {
        var count = broker.Options.MessageCount;
        var cpu = CpuMeter.Start();
        var naive = await RawPeer.ConsumeAsync(broker, queue, count, ackEvery: 1).ConfigureAwait(false);
        var naiveCpu = cpu.Describe(count);

        var multipleQueue = broker.NewQueueName(queue[(queue.LastIndexOf('.') + 1)..] + "-multiple");
        await RawPeer.PublishAsync(broker, multipleQueue, count).ConfigureAwait(false);
        await broker.EnsureCountAsync(multipleQueue, count, "raw").ConfigureAwait(false);
        cpu = CpuMeter.Start();
        var multiple = await RawPeer.ConsumeAsync(broker, multipleQueue, count, broker.Options.AckMultipleEvery).ConfigureAwait(false);
        var multipleCpu = cpu.Describe(count);
        await broker.DeleteQueueAsync(multipleQueue).ConfigureAwait(false);
        return [("raw", naive, naiveCpu), ("raw_multiple", multiple, multipleCpu)];
    }
}

/// <summary>
/// Raw publishing of bare messages (persistent and a content type, no message id or timestamp), for reference only: it
/// shows what the envelope costs the broker. Not consumed; no ratio is computed against it.
/// </summary>
internal sealed class RawBareSide : IThroughputSide
{
    public string Key => "raw_bare";

    public Task<PublishRun> PublishAsync(BenchmarkBroker broker, string queue) =>
        RawPeer.PublishAsync(broker, queue, broker.Options.MessageCount, envelope: false);

    public Task<IReadOnlyList<(string Variant, double Rate, CpuUse Cpu)>> ConsumeAsync(BenchmarkBroker broker, string queue) =>
        Task.FromResult<IReadOnlyList<(string, double, CpuUse)>>([]);
}
