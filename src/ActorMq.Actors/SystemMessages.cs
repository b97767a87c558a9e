namespace ActorMq.Actors;

/// <summary>
/// Kernel-internal messages, processed before any user message. Each instance is queued once
/// (the queue is intrusive, linked through <see cref="Next"/>).
/// </summary>
internal abstract class SystemMessage
{
    public SystemMessage? Next;
}

/// <summary>Construct the actor and call PreStart.</summary>
internal sealed class CreateActor : SystemMessage;

/// <summary>Stop the actor (children first, then PostStop).</summary>
internal sealed class TerminateActor : SystemMessage;

/// <summary>Restart the actor after a failure (decided by the supervisor).</summary>
internal sealed class RecreateActor(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

/// <summary>Resume the actor after a failure, keeping its state.</summary>
internal sealed class ResumeActor : SystemMessage;

/// <summary>To a parent: its child failed.</summary>
internal sealed class ChildFailed(ActorCell child, Exception cause) : SystemMessage
{
    public ActorCell Child { get; } = child;

    public Exception Cause { get; } = cause;
}

/// <summary>To a parent: its child has stopped (sent only while the parent waits for its children).</summary>
internal sealed class ChildStopped(ActorCell child) : SystemMessage
{
    public ActorCell Child { get; } = child;
}

/// <summary>To the watched actor: <see cref="Watcher"/> wants a death notification.</summary>
internal sealed class WatchActor(ActorCell watcher) : SystemMessage
{
    public ActorCell Watcher { get; } = watcher;
}

/// <summary>To the watched actor: <see cref="Watcher"/> no longer wants a death notification.</summary>
internal sealed class UnwatchActor(ActorCell watcher) : SystemMessage
{
    public ActorCell Watcher { get; } = watcher;
}

/// <summary>To a watcher: <see cref="Actor"/> has stopped.</summary>
internal sealed class DeathWatchNotification(IActorRef actor) : SystemMessage
{
    public IActorRef Actor { get; } = actor;
}

/// <summary>Marks a system queue closed for good (the actor has stopped).</summary>
internal sealed class SystemQueueClosed : SystemMessage
{
    public static readonly SystemQueueClosed Instance = new();
}

/// <summary>A message with its sender, as stored in a mailbox.</summary>
internal readonly record struct Envelope(object Message, IActorRef? Sender);

/// <summary>A receive-timeout tick; stale ticks (older generation) are dropped.</summary>
internal sealed record ReceiveTimeoutTick(int Generation);

/// <summary>A death-watch <see cref="Terminated"/> on its way through the user queue; dropped if unwatched meanwhile.</summary>
internal sealed record WatchedActorTerminated(Terminated Terminated);
