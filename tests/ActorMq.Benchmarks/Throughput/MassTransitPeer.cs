using System.Diagnostics;
using MassTransit;

namespace ActorMq.Benchmarks.Throughput;

/// <summary>The message MassTransit sends: a 256-byte payload (MassTransit wraps it in its JSON envelope).</summary>
public sealed record ThroughputMessage(byte[] Payload);

/// <summary>
/// MassTransit 8.4.0 over RabbitMQ with its defaults for reliability: durable (persistent) sends with publisher confirms,
/// <see cref="ThroughputOptions.PublishWindow"/> sends in flight; a receive endpoint with prefetch 100.
/// </summary>
internal static class MassTransitPeer
{
    public static async Task<(double Publish, double Consume)> MeasureAsync(BenchmarkBroker broker, BenchmarkContext context)
    {
        var count = broker.Options.MessageCount;
        var queue = broker.NewQueueName("masstransit");
        broker.DeleteOnDispose(queue); // MassTransit binds an exchange named like the queue

        // Publish: a bus with no receive endpoint (nothing consumes yet), sending to the queue's address.
        double publish;
        var sender = CreateBus(broker, configureEndpoints: null);
        await sender.StartAsync().ConfigureAwait(false);
        try
        {
            var endpoint = await sender.GetSendEndpoint(new Uri($"queue:{queue}")).ConfigureAwait(false);
            await endpoint.Send(new ThroughputMessage(broker.Body)).ConfigureAwait(false); // declares the topology
            var window = new Queue<Task>(broker.Options.PublishWindow);
            var stopwatch = Stopwatch.StartNew();
            for (var i = 1; i < count; i++)
            {
                if (window.Count >= broker.Options.PublishWindow) await window.Dequeue().ConfigureAwait(false);
                window.Enqueue(endpoint.Send(new ThroughputMessage(broker.Body)));
            }
            await Task.WhenAll(window).ConfigureAwait(false);
            publish = (count - 1) / stopwatch.Elapsed.TotalSeconds;
        }
        finally
        {
            await sender.StopAsync().ConfigureAwait(false);
        }
        context.Report("throughput.publish.masstransit.msg_per_s", publish);
        var ready = await broker.CountAsync(queue).ConfigureAwait(false);
        if (ready != count) throw new InvalidOperationException($"queue '{queue}' holds {ready} messages after MassTransit sent {count}");

        // Consume: a bus whose receive endpoint drains the queue. The clock starts at the first delivery so the bus's own
        // start-up (topology, its temporary endpoint) is not counted against it.
        var received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopwatchConsume = new Stopwatch();
        var consumer = CreateBus(broker, cfg => cfg.ReceiveEndpoint(queue, e =>
        {
            e.PrefetchCount = broker.Options.Prefetch;
            e.ConfigureConsumeTopology = false;
            e.Handler<ThroughputMessage>(_ =>
            {
                var n = Interlocked.Increment(ref received);
                if (n == 1) stopwatchConsume.Start();
                if (n == count) done.TrySetResult();
                return Task.CompletedTask;
            });
        }));
        await consumer.StartAsync().ConfigureAwait(false);
        try
        {
            await done.Task.WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
            stopwatchConsume.Stop();
        }
        finally
        {
            await consumer.StopAsync().ConfigureAwait(false);
        }
        var consume = (count - 1) / stopwatchConsume.Elapsed.TotalSeconds;
        context.Report("throughput.consume.masstransit.msg_per_s", consume);
        return (publish, consume);
    }

    private static IBusControl CreateBus(BenchmarkBroker broker, Action<IRabbitMqBusFactoryConfigurator>? configureEndpoints) =>
        Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            var endpoint = broker.Endpoint;
            cfg.Host(endpoint.Host, (ushort)endpoint.Port, endpoint.VirtualHost ?? "/", "actormq-bench-masstransit", h =>
            {
                h.Username(endpoint.UserName ?? "guest");
                h.Password(endpoint.Password ?? "guest");
                h.PublisherConfirmation = true;
            });
            configureEndpoints?.Invoke(cfg);
        });
}
