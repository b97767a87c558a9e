namespace ActorMq.Actors;

/// <summary>
/// A handle to an actor: the only way to talk to it. Refs are cheap, thread-safe and may be
/// passed in messages. Two refs are equal when they designate the same actor incarnation.
/// </summary>
public interface IActorRef
{
    /// <summary>The actor's path, for logs and diagnostics.</summary>
    ActorPath Path { get; }

    /// <summary>
    /// Sends <paramref name="message"/> asynchronously (fire and forget). When called from inside an
    /// actor's message handler with no <paramref name="sender"/>, the sending actor's <c>Self</c> is
    /// used, as in Akka.NET. Messages to a stopped actor become <see cref="DeadLetter"/>s.
    /// </summary>
    void Tell(object message, IActorRef? sender = null);
}

/// <summary>Well-known refs.</summary>
public static class ActorRefs
{
    /// <summary>"No sender": replies to it are dropped. The same as passing <c>null</c>.</summary>
    public static readonly IActorRef? NoSender;

    /// <summary>A ref to no actor: messages to it are dropped silently, watching it yields <see cref="Terminated"/> at once.</summary>
    public static IActorRef Nobody { get; } = new NobodyRef();

    private sealed class NobodyRef : IActorRef
    {
        public ActorPath Path { get; } = ActorPath.CreateRoot("nobody");

        public void Tell(object message, IActorRef? sender = null)
        {
            ArgumentNullException.ThrowIfNull(message);
        }

        public override string ToString() => "Nobody";
    }
}

/// <summary>Helpers on <see cref="IActorRef"/>.</summary>
public static class ActorRefExtensions
{
    /// <summary>
    /// Sends <paramref name="message"/> keeping the original sender: inside an actor's handler the
    /// sender of the message being processed, otherwise no sender.
    /// </summary>
    public static void Forward(this IActorRef receiver, object message)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        receiver.Tell(message, ActorCell.Current is { } cell ? cell.CurrentSender ?? ActorRefs.Nobody : null);
    }

    /// <summary>Whether <paramref name="actorRef"/> is a usable ref (neither null nor <see cref="ActorRefs.Nobody"/>).</summary>
    public static bool IsNobody(this IActorRef? actorRef) => actorRef is null || ReferenceEquals(actorRef, ActorRefs.Nobody);
}
