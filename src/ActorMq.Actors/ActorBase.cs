namespace ActorMq.Actors;

/// <summary>
/// The base of every actor. An actor processes one message at a time; everything it writes in one
/// handler is visible to the next. Subclass <see cref="ReceiveActor"/> for typed handlers, or override
/// <see cref="Receive"/> directly.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell cell;

    /// <summary>Binds the actor to the cell that is creating it. Actors are created only through <see cref="Props"/>.</summary>
    protected ActorBase()
    {
        cell = ActorCell.Constructing ?? throw new InvalidOperationException(
            $"{GetType().Name} must be created through Props (system.ActorOf / Context.ActorOf), not with 'new'");
        if (this is IWithTimers withTimers) withTimers.Timers = cell.Timers;
        if (this is IWithStash withStash) withStash.Stash = cell.NewStash();
    }

    /// <summary>This actor's ref.</summary>
    protected IActorRef Self => cell.Self;

    /// <summary>The sender of the message being processed (the dead-letters ref if none).</summary>
    protected IActorRef Sender => cell.Sender;

    /// <summary>This actor's context: children, death watch, system.</summary>
    protected IActorContext Context => cell;

    /// <summary>
    /// Handles <paramref name="message"/>; returns <c>false</c> if it was not handled (it is then
    /// passed to <see cref="Unhandled"/>).
    /// </summary>
    protected abstract bool Receive(object message);

    /// <summary>
    /// Called for messages <see cref="Receive"/> did not handle. An unhandled <see cref="Terminated"/>
    /// raises <see cref="DeathPactException"/>; anything else is published as <see cref="UnhandledMessage"/>.
    /// </summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated) throw new DeathPactException(terminated.ActorRef);
        cell.System.EventStream.Publish(new UnhandledMessage(message, cell.CurrentSender, cell.Self));
    }

    /// <summary>Called after the actor is created, before its first message.</summary>
    protected virtual void PreStart() { }

    /// <summary>Called once the actor and all its children have stopped. An exception here is logged, not propagated.</summary>
    protected virtual void PostStop() { }

    /// <summary>
    /// Called on the failed instance before a restart, with the failure and the message being
    /// processed (not retried). The default stops all children and calls <see cref="PostStop"/>.
    /// </summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in cell.Children) cell.Stop(child);
        PostStop();
    }

    /// <summary>Called on the new instance after a restart. The default calls <see cref="PreStart"/>.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>The strategy this actor applies to its failing children; <c>null</c> uses the props' strategy or the default.</summary>
    protected virtual SupervisorStrategy? SupervisorStrategy() => null;

    internal ActorCell Cell => cell;

    internal virtual bool InvokeReceive(object message, out Task? pending)
    {
        pending = null;
        return Receive(message);
    }

    internal void InvokeUnhandled(object message) => Unhandled(message);

    internal void InvokePreStart() => PreStart();

    internal void InvokePostStop() => PostStop();

    internal void InvokePreRestart(Exception reason, object? message) => PreRestart(reason, message);

    internal void InvokePostRestart(Exception reason) => PostRestart(reason);

    internal SupervisorStrategy? InvokeSupervisorStrategy() => SupervisorStrategy();
}
