using Microsoft.Extensions.Logging;

namespace ActorMq.Actors;

/// <summary>The kernel's log messages (event ids 4000-4099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Error, Message = "Actor {ActorPath} failed; supervisor directive: {Directive}")]
    public static partial void ActorFailed(ILogger logger, string actorPath, Directive directive, Exception exception);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Actor {ActorPath} failed and was resumed")]
    public static partial void ActorResumed(ILogger logger, string actorPath, Exception exception);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "PostStop of actor {ActorPath} threw; the actor is stopped anyway")]
    public static partial void PostStopFailed(ILogger logger, string actorPath, Exception exception);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "PreRestart of actor {ActorPath} threw; restarting anyway")]
    public static partial void PreRestartFailed(ILogger logger, string actorPath, Exception exception);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "Actor {ActorPath} failed while stopping or already failed; ignored")]
    public static partial void FailureWhileStopping(ILogger logger, string actorPath, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "The supervisor strategy's decider of {ActorPath} threw; escalating")]
    public static partial void DeciderFailed(ILogger logger, string actorPath, Exception exception);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Critical, Message = "Kernel error while running actor {ActorPath}")]
    public static partial void KernelError(ILogger logger, string actorPath, Exception exception);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error, Message = "A scheduled action threw; the scheduler continues")]
    public static partial void ScheduledActionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Dead letter: {MessageType} from {Sender} to {Recipient} was not delivered")]
    public static partial void DeadLetter(ILogger logger, string messageType, string sender, string recipient);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "{Count} more dead letters were not logged (actormq.actors.dead-letters.log-max)")]
    public static partial void DeadLettersSuppressed(ILogger logger, int count);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Actor system {SystemName} shutting down (reason: {Reason})")]
    public static partial void ShutdownStarted(ILogger logger, string systemName, string reason);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "Shutdown phase {Phase} did not finish within {TimeoutMs} ms; continuing with the next phase")]
    public static partial void ShutdownPhaseTimedOut(ILogger logger, string phase, double timeoutMs);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Error, Message = "Shutdown task {Task} in phase {Phase} failed")]
    public static partial void ShutdownTaskFailed(ILogger logger, string phase, string task, Exception exception);

    [LoggerMessage(EventId = 4023, Level = LogLevel.Warning, Message = "Actors of system {SystemName} did not stop within {TimeoutMs} ms; terminating anyway")]
    public static partial void ActorStopTimedOut(ILogger logger, string systemName, double timeoutMs);

    [LoggerMessage(EventId = 4024, Level = LogLevel.Information, Message = "Actor system {SystemName} terminated")]
    public static partial void SystemTerminated(ILogger logger, string systemName);
}
