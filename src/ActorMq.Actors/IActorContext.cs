using Microsoft.Extensions.Logging;

namespace ActorMq.Actors;

/// <summary>
/// What an actor sees of its runtime: its own ref, the current sender, its children, death watch.
/// Use it only from inside the actor (its handlers, constructor and lifecycle hooks).
/// </summary>
public interface IActorContext
{
    /// <summary>This actor's ref.</summary>
    IActorRef Self { get; }

    /// <summary>The sender of the message being processed (the dead-letters ref if none).</summary>
    IActorRef Sender { get; }

    /// <summary>This actor's parent (its supervisor).</summary>
    IActorRef Parent { get; }

    /// <summary>The actor system this actor lives in.</summary>
    ActorSystem System { get; }

    /// <summary>The props this actor was created with.</summary>
    Props Props { get; }

    /// <summary>A logger whose category is the actor's class name.</summary>
    ILogger Log { get; }

    /// <summary>This actor's live children.</summary>
    IEnumerable<IActorRef> Children { get; }

    /// <summary>The child named <paramref name="name"/>, or <see cref="ActorRefs.Nobody"/>.</summary>
    IActorRef Child(string name);

    /// <summary>Creates a child actor (named, or with a generated <c>$</c> name), supervised by this actor.</summary>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>Stops <paramref name="actor"/> (a child, or this actor itself) after the message it is processing.</summary>
    void Stop(IActorRef actor);

    /// <summary>Watches <paramref name="subject"/>: this actor receives <see cref="Terminated"/> when it stops (at once if already stopped).</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>Stops watching <paramref name="subject"/>; no <see cref="Terminated"/> for it is delivered afterwards.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>
    /// Sends <see cref="ReceiveTimeout"/> to this actor after <paramref name="timeout"/> without any message;
    /// <c>null</c> switches it off.
    /// </summary>
    void SetReceiveTimeout(TimeSpan? timeout);

    /// <summary>The receive timeout in force, if any.</summary>
    TimeSpan? ReceiveTimeout { get; }
}
