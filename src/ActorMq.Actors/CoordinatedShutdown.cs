using System.Collections.Concurrent;

namespace ActorMq.Actors;

/// <summary>
/// Ordered, hookable shutdown. The phases (<c>actormq.actors.coordinated-shutdown.phases</c>) run one
/// after another; the tasks of one phase run concurrently and are given the phase's timeout (then
/// cancelled, logged, and the next phase starts). After the last phase every actor stops top-down
/// (children before parents, <c>PostStop</c> run) and <see cref="ActorSystem.WhenTerminated"/> completes.
/// </summary>
public sealed class CoordinatedShutdown
{
    /// <summary>First phase: announce the shutdown.</summary>
    public const string PhaseBeforeShutdown = "before-shutdown";

    /// <summary>Stop taking new work (cancel broker consumers).</summary>
    public const string PhaseStopConsuming = "stop-consuming";

    /// <summary>Let in-flight work finish (handlers drain, acks go out).</summary>
    public const string PhaseDrainHandlers = "drain-handlers";

    /// <summary>Wait for outstanding publisher confirms.</summary>
    public const string PhaseFlushPublishers = "flush-publishers";

    /// <summary>Close broker connections and stores.</summary>
    public const string PhaseCloseConnections = "close-connections";

    /// <summary>Last phase before the actors stop.</summary>
    public const string PhaseBeforeActorSystemTerminate = "before-actor-system-terminate";

    private readonly ActorSystem system;
    private readonly CoordinatedShutdownSettings settings;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(string Name, Func<CancellationToken, Task> Run)>> tasks = new(StringComparer.Ordinal);
    private Task? running;

    internal CoordinatedShutdown(ActorSystem system, CoordinatedShutdownSettings settings)
    {
        this.system = system;
        this.settings = settings;
    }

    /// <summary>The phases, in the order they run.</summary>
    public IReadOnlyList<string> Phases => settings.Phases;

    /// <summary>Why the shutdown started, once it has.</summary>
    public string? Reason { get; private set; }

    /// <summary>
    /// Adds <paramref name="task"/> to <paramref name="phase"/>; tasks added to one phase run concurrently.
    /// The token is cancelled when the phase times out.
    /// </summary>
    public void AddTask(string phase, string taskName, Func<CancellationToken, Task> task)
    {
        ArgumentNullException.ThrowIfNull(phase);
        ArgumentException.ThrowIfNullOrWhiteSpace(taskName);
        ArgumentNullException.ThrowIfNull(task);
        if (!settings.Phases.Contains(phase, StringComparer.Ordinal))
            throw new ArgumentException($"Unknown shutdown phase '{phase}'; actormq.actors.coordinated-shutdown.phases lists: {string.Join(", ", settings.Phases)}", nameof(phase));
        if (Volatile.Read(ref running) is not null)
            throw new InvalidOperationException($"Cannot add shutdown task '{taskName}': the shutdown of {system.Name} has started");
        tasks.GetOrAdd(phase, _ => new()).Enqueue((taskName, task));
    }

    /// <summary>Runs the shutdown once (later calls return the same task); completes when the system has terminated.</summary>
    public Task RunAsync(string? reason = null)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref running, started.Task, null) is { } already) return already;
        Reason = reason ?? "unknown";
        _ = RunPhasesAsync(started);
        return started.Task;
    }

    private async Task RunPhasesAsync(TaskCompletionSource done)
    {
        // Yield first: the caller (possibly an actor) returns before any phase runs.
        await Task.Yield();
        system.MarkTerminating();
        Actors.Log.ShutdownStarted(system.Log, system.Name, Reason!);
        foreach (var phase in settings.Phases)
        {
            if (!tasks.TryGetValue(phase, out var queue) || queue.IsEmpty) continue;
            var timeout = settings.PhaseTimeouts[phase];
            using var cancel = new CancellationTokenSource();
            var all = Task.WhenAll(queue.Select(t => RunTaskAsync(phase, t.Name, t.Run, cancel.Token)));
            try
            {
                await all.WaitAsync(timeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Actors.Log.ShutdownPhaseTimedOut(system.Log, phase, timeout.TotalMilliseconds);
                await cancel.CancelAsync().ConfigureAwait(false);
            }
        }
        try
        {
            await system.StopActorsAsync().ConfigureAwait(false);
        }
        finally
        {
            done.TrySetResult();
        }
    }

    private async Task RunTaskAsync(string phase, string name, Func<CancellationToken, Task> run, CancellationToken token)
    {
        try
        {
            await run(token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Actors.Log.ShutdownTaskFailed(system.Log, phase, name, e);
        }
    }
}
