using System.Globalization;

namespace ActorMq.Actors;

/// <summary>Children: creation, lookup, stop, and waiting for them before a restart or stop completes.</summary>
internal sealed partial class ActorCell
{
    public IEnumerable<IActorRef> Children => ChildCells().Select(c => (IActorRef)c.SelfRef);

    public IActorRef Child(string name)
    {
        if (extras is not { Children: not null } ex) return ActorRefs.Nobody;
        lock (ex)
        {
            return ex.Children.TryGetValue(name, out var child) ? child.SelfRef : ActorRefs.Nobody;
        }
    }

    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        var childDispatcher = System.Dispatchers.Lookup(props.Dispatcher);
        var capacity = System.Mailboxes.Capacity(props.Mailbox);
        var ex = EnsureExtras();
        ActorCell child;
        lock (ex)
        {
            if (lifecycle >= Lifecycle.Terminating)
                throw new InvalidOperationException($"Cannot create a child of {Path}: it is stopping");
            if (name is null)
            {
                name = "$" + (++ex.NameCounter).ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                ValidateName(name);
            }
            ex.Children ??= new Dictionary<string, ActorCell>(StringComparer.Ordinal);
            if (ex.Children.ContainsKey(name))
                throw new InvalidActorNameException($"Actor name '{name}' is not unique under {Path}");
            child = new ActorCell(System, props, this, Path / name, childDispatcher, capacity);
            ex.Children.Add(name, child);
        }
        child.SendSystemMessage(new CreateActor());
        return child.SelfRef;
    }

    public void Stop(IActorRef actorRef)
    {
        ArgumentNullException.ThrowIfNull(actorRef);
        if (actorRef is LocalActorRef local) StopChild(local.Cell);
    }

    internal static void StopChild(ActorCell cell)
    {
        cell.MarkStopRequested();
        cell.SendSystemMessage(new TerminateActor());
    }

    internal List<ActorCell> ChildCells()
    {
        if (extras is not { Children: not null } ex) return [];
        lock (ex) return [.. ex.Children.Values];
    }

    internal bool IsChild(ActorCell cell)
    {
        if (extras is not { Children: not null } ex) return false;
        lock (ex) return ex.Children.TryGetValue(cell.Path.Name, out var found) && found == cell;
    }

    /// <summary>
    /// Whether children this actor waits for are still alive (all of them when stopping, those
    /// being stopped when restarting). If so, their parent is notified as each one stops.
    /// </summary>
    private bool WaitForChildren(bool restarting)
    {
        if (extras is not { Children: not null } ex) return false;
        lock (ex)
        {
            var waiting = restarting ? ex.Children.Values.Any(c => c.stopRequested) : ex.Children.Count > 0;
            ex.WaitingForChildren = waiting;
            return waiting;
        }
    }

    /// <summary>Called by a child once it has stopped.</summary>
    private void RemoveChild(ActorCell child)
    {
        var ex = EnsureExtras();
        bool notify;
        lock (ex)
        {
            if (ex.Children is not null && ex.Children.TryGetValue(child.Path.Name, out var found) && found == child)
                ex.Children.Remove(child.Path.Name);
            notify = ex.WaitingForChildren;
        }
        if (notify) SendSystemMessage(new ChildStopped(child));
    }

    private void OnChildStopped()
    {
        if (lifecycle == Lifecycle.Terminating && !WaitForChildren(restarting: false)) FinishTerminate();
        else if (lifecycle == Lifecycle.Restarting && !WaitForChildren(restarting: true)) FinishRecreate();
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new InvalidActorNameException("Actor name must not be empty");
        if (name.StartsWith('$')) throw new InvalidActorNameException($"Actor name '{name}' must not start with '$' (reserved for generated names)");
        foreach (var c in name)
        {
            if (c == '/' || char.IsWhiteSpace(c) || char.IsControl(c) || c == '#' || c == '?')
                throw new InvalidActorNameException($"Actor name '{name}' contains the illegal character '{c}'");
        }
    }
}
