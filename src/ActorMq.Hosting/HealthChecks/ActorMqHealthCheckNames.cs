namespace ActorMq.Hosting.HealthChecks;

/// <summary>The names of ActorMq's health checks.</summary>
public static class ActorMqHealthCheckNames
{
    /// <summary>The broker link.</summary>
    public const string Connection = "actormq-connection";

    /// <summary>Every consumer consuming, none paused by its circuit breaker.</summary>
    public const string Consumers = "actormq-consumers";

    /// <summary>The publishers' buffered requests (back-pressure).</summary>
    public const string Publisher = "actormq-publisher";

    /// <summary>The dead store answers.</summary>
    public const string DeadStore = "actormq-dead-store";
}
