using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorMq.Hosting.HealthChecks;

/// <summary>The common part of ActorMq's checks: Unhealthy until ActorMq has started.</summary>
internal abstract class ActorMqHealthCheck(ActorMqRuntime runtime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        runtime.CurrentClient is { } client
            ? CheckAsync(client, runtime.Settings, cancellationToken)
            : Task.FromResult(HealthCheckResult.Unhealthy("ActorMq has not started (or failed to start)"));

    protected abstract Task<HealthCheckResult> CheckAsync(ActorMqClient client, HostingSettings settings, CancellationToken cancellationToken);
}
