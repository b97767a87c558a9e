namespace ActorMq.Actors;

/// <summary>Death watch: who watches this actor, whom it watches, and the notifications between them.</summary>
internal sealed partial class ActorCell
{
    public IActorRef Watch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject == SelfRef) return subject;
        var watching = EnsureExtras().Watching ??= new HashSet<IActorRef>();
        if (!watching.Add(subject)) return subject;
        if (subject is LocalActorRef local) local.Cell.SendSystemMessage(new WatchActor(this));
        else SendSystemMessage(new DeathWatchNotification(subject)); // Nobody, dead letters, temporary refs: gone already
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (extras?.Watching?.Remove(subject) == true && subject is LocalActorRef local)
            local.Cell.SendSystemMessage(new UnwatchActor(this));
        return subject;
    }

    private void AddWatcher(ActorCell watcher)
    {
        if (watcher == this) return;
        (EnsureExtras().Watchers ??= new HashSet<ActorCell>()).Add(watcher);
    }

    private void OnWatchedActorStopped(IActorRef stopped)
    {
        if (lifecycle >= Lifecycle.Terminating) return;
        if (extras?.Watching?.Contains(stopped) != true) return;
        // Goes through the user queue; Translate() delivers it only if still watched then.
        lock (this)
        {
            if (!closed) EnqueueLocked(new Envelope(new WatchedActorTerminated(new Terminated(stopped)), stopped));
        }
    }

    private void NotifyWatchersAndUnwatch(CellExtras ex)
    {
        if (ex.Watchers is { } watchers)
        {
            foreach (var watcher in watchers) watcher.SendSystemMessage(new DeathWatchNotification(SelfRef));
            ex.Watchers = null;
        }
        if (ex.Watching is { } watching)
        {
            foreach (var subject in watching)
            {
                if (subject is LocalActorRef local) local.Cell.SendSystemMessage(new UnwatchActor(this));
            }
            ex.Watching = null;
        }
    }
}
