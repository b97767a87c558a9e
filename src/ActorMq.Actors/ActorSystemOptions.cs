using Microsoft.Extensions.Logging;

namespace ActorMq.Actors;

/// <summary>What an actor system takes from code rather than HOCON.</summary>
public sealed class ActorSystemOptions
{
    /// <summary>Where the kernel and the actors (<see cref="IActorContext.Log"/>) log; none if null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The scheduler behind timers, backoff and <see cref="ActorSystem.Scheduler"/>; real time if null (tests pass a <c>TestScheduler</c>).</summary>
    public IScheduler? Scheduler { get; init; }
}
