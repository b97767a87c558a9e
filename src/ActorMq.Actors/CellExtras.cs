using Microsoft.Extensions.Logging;

namespace ActorMq.Actors;

/// <summary>
/// The parts of an actor's state that most actors never need (children, watchers, timers, stash,
/// receive timeout, failure bookkeeping), created on first use so an idle actor stays small.
/// <see cref="Children"/> and <see cref="WaitingForChildren"/> are guarded by <c>lock(this)</c>;
/// everything else is touched only by the actor's own thread.
/// </summary>
internal sealed class CellExtras
{
    public Dictionary<string, ActorCell>? Children;
    public bool WaitingForChildren;
    public long NameCounter;

    public HashSet<ActorCell>? Watchers;
    public HashSet<IActorRef>? Watching;

    public TimerScheduler? Timers;
    public StashBuffer? Stash;

    public TimeSpan? ReceiveTimeout;
    public int ReceiveTimeoutGeneration;
    public ICancelable? ReceiveTimeoutTask;

    public Action? ResumeAfterTask;
    public object? FailedMessage;
    public ActorCell? EscalatedChild;
    public Exception? RestartCause;
    public RestartStatistics? RestartStatistics;

    public ILogger? Logger;
    public TaskCompletionSource? Stopped;
}
