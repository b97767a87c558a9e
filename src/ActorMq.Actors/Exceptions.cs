namespace ActorMq.Actors;

/// <summary>An actor's constructor, <c>PreStart</c> or <c>PostRestart</c> threw. Supervisors stop such an actor by default.</summary>
public sealed class ActorInitializationException : Exception
{
    /// <summary>Creates the exception for the actor at <paramref name="path"/>.</summary>
    public ActorInitializationException(ActorPath path, Exception cause)
        : base($"Actor {path} failed to initialize: {cause.Message}", cause) => ActorPath = path;

    /// <summary>The actor that failed to start.</summary>
    public ActorPath ActorPath { get; }
}

/// <summary>Raised inside an actor that received <see cref="Kill"/>. Supervisors stop such an actor by default.</summary>
public sealed class ActorKilledException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ActorKilledException(ActorPath path) : base($"Actor {path} was killed (Kill message)") { }
}

/// <summary>An actor did not handle the <see cref="Terminated"/> of an actor it watched. Supervisors stop such an actor by default.</summary>
public sealed class DeathPactException : Exception
{
    /// <summary>Creates the exception for the dead actor <paramref name="deadActor"/>.</summary>
    public DeathPactException(IActorRef deadActor)
        : base($"Watched actor {deadActor.Path} terminated and its Terminated message was not handled") => DeadActor = deadActor;

    /// <summary>The watched actor that stopped.</summary>
    public IActorRef DeadActor { get; }
}

/// <summary>An actor name is malformed or already taken by a sibling.</summary>
public sealed class InvalidActorNameException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public InvalidActorNameException(string message) : base(message) { }
}

/// <summary>
/// An <see cref="AskExtensions.Ask{T}"/> got no reply in time. It derives from
/// <see cref="TimeoutException"/> because <c>ActorMq.Actors</c> sits below the assembly that defines
/// <c>ActorMqException</c>; catch <see cref="TimeoutException"/> to handle every timeout alike.
/// </summary>
public sealed class AskTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public AskTimeoutException(string message) : base(message) { }
}

/// <summary>An actor stashed more messages than <c>actormq.actors.stash-capacity</c> allows.</summary>
public sealed class StashOverflowException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StashOverflowException(string message) : base(message) { }
}
