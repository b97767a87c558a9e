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
}
