using System.Diagnostics;
using MassTransit;

namespace ActorMq.Benchmarks.Throughput;

/// <summary>The message MassTransit sends: a 256-byte payload (MassTransit wraps it in its JSON envelope).</summary>
public sealed record ThroughputMessage(byte[] Payload);

/// <summary>
/// MassTransit 8.4.0 over RabbitMQ with its defaults for reliability: durable (persistent) sends with publisher confirms,
/// <see cref="ThroughputOptions.PublishWindow"/> sends in flight; a receive endpoint with prefetch 100.
/// </summary>
internal sealed class MassTransitSide : IThroughputSide
{
    public string Key => "masstransit";

    /// <summary>A bus with no receive endpoint (nothing consumes yet), sending to the queue's address.</summary>
    public async Task<PublishRun> PublishAsync(BenchmarkBroker broker, string queue)
    {
        var count = broker.Options.MessageCount;
        broker.DeleteOnDispose(queue); // MassTransit binds an exchange named like the queue
        var sender = CreateBus(broker, configureEndpoints: null);
        await sender.StartAsync().ConfigureAwait(false);
        try
        {
            var endpoint = await sender.GetSendEndpoint(new Uri($"queue:{queue}")).ConfigureAwait(false);
            await endpoint.Send(new ThroughputMessage(broker.Body)).ConfigureAwait(false); // declares the topology
            var window = new Queue<Task>(broker.Options.PublishWindow);
            var cpu = CpuMeter.Start();
            var stopwatch = Stopwatch.StartNew();
            for (var i = 1; i < count; i++)
            {
                if (window.Count >= broker.Options.PublishWindow) await window.Dequeue().ConfigureAwait(false);
                window.Enqueue(endpoint.Send(new ThroughputMessage(broker.Body)));
            }
            await Task.WhenAll(window).ConfigureAwait(false);
            return new PublishRun((count - 1) / stopwatch.Elapsed.TotalSeconds, cpu.Describe(count - 1));
        }
        finally
        {
            await sender.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A bus whose receive endpoint drains the queue. The clock starts at the first delivery so the bus's own start-up
    /// (topology, its temporary endpoint) is not counted against it.
    /// </summary>
    public async Task<IReadOnlyList<(string Variant, double Rate, CpuUse Cpu)>> ConsumeAsync(BenchmarkBroker broker, string queue)
    {
        var count = broker.Options.MessageCount;
        var received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopwatch = new Stopwatch();
        CpuMeter? cpu = null;
        var consumer = CreateBus(broker, cfg => cfg.ReceiveEndpoint(queue, e =>
        {
            e.PrefetchCount = broker.Options.Prefetch;
            e.ConfigureConsumeTopology = false;
            e.Handler<ThroughputMessage>(_ =>
            {
                var n = Interlocked.Increment(ref received);
                if (n == 1)
                {
                    cpu = CpuMeter.Start();
                    stopwatch.Start();
                }
                if (n == count) done.TrySetResult();
                return Task.CompletedTask;
            });
        }));
        await consumer.StartAsync().ConfigureAwait(false);
        CpuUse cpuNote;
        try
        {
            await done.Task.WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
            stopwatch.Stop();
            cpuNote = cpu!.Describe(count - 1);
        }
        finally
        {
            await consumer.StopAsync().ConfigureAwait(false);
        }
        return [("masstransit", (count - 1) / stopwatch.Elapsed.TotalSeconds, cpuNote)];
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
