namespace ActorMq.Hosting.HealthChecks;

/// <summary>
/// The tags of ActorMq's health checks, for <c>MapHealthChecks("/health/ready", new() { Predicate = c =&gt; c.Tags.Contains(ActorMqHealthCheckTags.Readiness) })</c>.
/// Akka.Hosting adds its own <c>akka</c> tag to every check.
/// </summary>
public static class ActorMqHealthCheckTags
{
    /// <summary>Every ActorMq check.</summary>
    public const string ActorMq = "actormq";

    /// <summary>Checks whose Unhealthy means "restart the process": the broker link Failed for good (Akka.Hosting's actor system check has it too).</summary>
    public const string Liveness = "liveness";

    /// <summary>Checks whose Unhealthy means "do not send traffic yet": every ActorMq check.</summary>
    public const string Readiness = "readiness";
}
