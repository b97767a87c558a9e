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
    public static async Task<(double Publish, double Consume, double ConsumeMultiple)> MeasureAsync(BenchmarkBroker broker, BenchmarkContext context)
    {
        var count = broker.Options.MessageCount;

        var queue = broker.NewQueueName("raw");
        var publish = await PublishAsync(broker, queue, count).ConfigureAwait(false);
        context.Report("throughput.publish.raw.msg_per_s", publish);
        await EnsureCountAsync(broker, queue, count).ConfigureAwait(false);

        var consume = await ConsumeAsync(broker, queue, count, ackEvery: 1).ConfigureAwait(false);
        context.Report("throughput.consume.raw.msg_per_s", consume);

        var multipleQueue = broker.NewQueueName("raw-multiple");
        await PublishAsync(broker, multipleQueue, count).ConfigureAwait(false);
        await EnsureCountAsync(broker, multipleQueue, count).ConfigureAwait(false);
        var consumeMultiple = await ConsumeAsync(broker, multipleQueue, count, broker.Options.AckMultipleEvery).ConfigureAwait(false);
        context.Report("throughput.consume.raw_multiple.msg_per_s", consumeMultiple);
        return (publish, consume, consumeMultiple);
    }

    /// <summary>Publishes <paramref name="count"/> persistent messages to a fresh durable <paramref name="queue"/>; returns msg/s (until the last confirm).</summary>
    public static async Task<double> PublishAsync(BenchmarkBroker broker, string queue, int count)
    {
        await broker.DeclareQueueAsync(queue).ConfigureAwait(false);
        var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true,
            outstandingPublisherConfirmationsRateLimiter: null);
        await using var channel = await broker.Connection.CreateChannelAsync(options).ConfigureAwait(false);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/octet-stream" };
        var window = new Queue<Task>(broker.Options.PublishWindow);
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            if (window.Count >= broker.Options.PublishWindow) await window.Dequeue().ConfigureAwait(false);
            window.Enqueue(channel.BasicPublishAsync("", queue, mandatory: true, properties, broker.Body).AsTask());
        }
        await Task.WhenAll(window).ConfigureAwait(false);
        return count / stopwatch.Elapsed.TotalSeconds;
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

    private static async Task EnsureCountAsync(BenchmarkBroker broker, string queue, int count)
    {
        var ready = await broker.CountAsync(queue).ConfigureAwait(false);
        if (ready != count) throw new InvalidOperationException($"queue '{queue}' holds {ready} messages after publishing {count}");
    }
}
