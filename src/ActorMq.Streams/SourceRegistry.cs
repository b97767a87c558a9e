using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Akka;
using Akka.Actor;
using Akka.Pattern;

namespace ActorMq.Streams;

/// <summary>
/// The running committable sources of one client, stopped and drained by Akka's <see cref="CoordinatedShutdown"/> in the
/// phases ActorMq's own consumers use: <c>service-unbind</c> stops them taking deliveries (their streams complete),
/// <c>service-requests-done</c> gives their elements in flight up to <c>drain-timeout</c> to settle, then shuts them down —
/// before ActorMq closes its connections (<c>before-actor-system-terminate</c>). One pair of tasks per client.
/// </summary>
internal sealed class SourceRegistry
{
    private static readonly ConditionalWeakTable<ActorMqClient, SourceRegistry> Registries = new();
    private readonly ConcurrentDictionary<ConsumerControl, TimeSpan> _live = new();
    private readonly IScheduler _scheduler;

    private SourceRegistry(ActorMqClient client)
    {
        _scheduler = client.System.Scheduler;
        var shutdown = CoordinatedShutdown.Get(client.System);
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "actormq-streams-stop-sources", async () =>
        {
            await Task.WhenAll(_live.Keys.Select(c => c.StopAsync())).ConfigureAwait(false);
            return Done.Instance;
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "actormq-streams-drain-sources", async () =>
        {
            await Task.WhenAll(_live.Select(pair => DrainAsync(pair.Key, pair.Value))).ConfigureAwait(false);
            return Done.Instance;
        });
    }

    public static SourceRegistry For(ActorMqClient client) => Registries.GetValue(client, c => new SourceRegistry(c));

    public void Add(ConsumerControl control, TimeSpan drainTimeout) => _live[control] = drainTimeout;

    public void Remove(ConsumerControl control) => _live.TryRemove(control, out _);

    private async Task DrainAsync(ConsumerControl control, TimeSpan drainTimeout)
    {
        var timeout = FutureTimeoutSupport.After(drainTimeout, _scheduler, () => Task.FromResult(Done.Instance));
        await Task.WhenAny(control.WhenShutdown, timeout).ConfigureAwait(false);
        await control.ShutdownAsync().ConfigureAwait(false);
    }
}
