namespace ActorMq.Actors;

/// <summary>The ref of an actor living in this process: a thin handle to its <see cref="ActorCell"/>.</summary>
internal sealed class LocalActorRef(ActorCell cell, ActorPath path) : IActorRef
{
    public ActorCell Cell { get; } = cell;

    public ActorPath Path { get; } = path;

    public void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.Post(message, sender ?? ActorCell.Current?.Self);
    }

    public override string ToString() => Path.ToString();
}
