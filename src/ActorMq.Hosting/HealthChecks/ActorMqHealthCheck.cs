using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorMq.Hosting.HealthChecks;

/// <summary>The common part of ActorMq's checks: Unhealthy until ActorMq has started and once its actor system has terminated.</summary>
internal abstract class ActorMqHealthCheck(ActorMqRuntime runtime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (runtime.CurrentClient is not { } client) return Task.FromResult(HealthCheckResult.Unhealthy("ActorMq has not started (or failed to start)"));
        if (client.System.WhenTerminated.IsCompleted)
            return Task.FromResult(HealthCheckResult.Unhealthy($"the actor system {client.System.Name} has terminated"));
        return CheckAsync(client, runtime.Settings, cancellationToken);
    }

    protected abstract Task<HealthCheckResult> CheckAsync(ActorMqClient client, HostingSettings settings, CancellationToken cancellationToken);
}
