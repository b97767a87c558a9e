using Microsoft.Extensions.Logging;

namespace ActorMq.Hosting;

/// <summary>The hosting integration's log events, with stable ids 7xxx.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(7000, LogLevel.Information, "ActorMq started in actor system {System} ({Consumers} consumers)")]
    public static partial void Started(ILogger logger, string system, int consumers);

    [LoggerMessage(7001, LogLevel.Critical, "ActorMq failed to start: {Reason}")]
    public static partial void StartFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(7002, LogLevel.Information, "Waiting up to {Timeout} until the broker link is up and every consumer consumes")]
    public static partial void WaitingUntilReady(ILogger logger, TimeSpan timeout);

    [LoggerMessage(7003, LogLevel.Information, "ActorMq is ready")]
    public static partial void Ready(ILogger logger);

    [LoggerMessage(7004, LogLevel.Information, "Stopping ActorMq: stop consuming, drain handlers, flush publishers, close connections, terminate {System}")]
    public static partial void Stopping(ILogger logger, string system);

    [LoggerMessage(7005, LogLevel.Information, "ActorMq stopped; actor system {System} terminated")]
    public static partial void Stopped(ILogger logger, string system);

    [LoggerMessage(7006, LogLevel.Critical, "The actor system {System} terminated unexpectedly (reason: {Reason}); stopping the host")]
    public static partial void SystemTerminatedUnexpectedly(ILogger logger, string system, string reason);

    [LoggerMessage(7007, LogLevel.Error, "Stopping ActorMq in order failed; terminating the actor system anyway")]
    public static partial void StopFailed(ILogger logger, Exception exception);
}
