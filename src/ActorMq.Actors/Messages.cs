namespace ActorMq.Actors;

/// <summary>Stops the receiving actor once it reaches this message in its mailbox (messages before it are processed first).</summary>
public sealed record PoisonPill
{
    private PoisonPill() { }

    /// <summary>The single instance.</summary>
    public static PoisonPill Instance { get; } = new();
}

/// <summary>Makes the receiving actor fail with <see cref="ActorKilledException"/>; by default its supervisor stops it.</summary>
public sealed record Kill
{
    private Kill() { }

    /// <summary>The single instance.</summary>
    public static Kill Instance { get; } = new();
}

/// <summary>Sent to the actors that watch <paramref name="ActorRef"/> (see <see cref="IActorContext.Watch"/>) once it has stopped.</summary>
public sealed record Terminated(IActorRef ActorRef);

/// <summary>Sent to an actor that received no message for its receive timeout (<see cref="IActorContext.SetReceiveTimeout"/>).</summary>
public sealed record ReceiveTimeout
{
    private ReceiveTimeout() { }

    /// <summary>The single instance.</summary>
    public static ReceiveTimeout Instance { get; } = new();
}

/// <summary>The outcome of an operation as a message (<see cref="PipeToExtensions"/>, <see cref="AskExtensions"/>).</summary>
public abstract record Status
{
    private Status() { }

    /// <summary>The operation succeeded with <paramref name="Value"/>.</summary>
    public sealed record Success(object? Value) : Status;

    /// <summary>
    /// The operation failed with <paramref name="Cause"/>. An <c>Ask</c> answered with a
    /// <see cref="Failure"/> throws <paramref name="Cause"/>.
    /// </summary>
    public sealed record Failure(Exception Cause) : Status;
}

/// <summary>A message that could not be delivered (its recipient had stopped, or its mailbox was full); published on the <see cref="EventStream"/>.</summary>
public sealed record DeadLetter(object Message, IActorRef? Sender, IActorRef Recipient);

/// <summary>A message the recipient did not handle; published on the <see cref="EventStream"/>.</summary>
public sealed record UnhandledMessage(object Message, IActorRef? Sender, IActorRef Recipient);
