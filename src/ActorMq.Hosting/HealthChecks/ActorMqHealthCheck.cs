using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorMq.Hosting.HealthChecks;

/// <summary>
/// The common part of ActorMq's Akka.Hosting checks: Unhealthy until ActorMq has started (with the reason when its start
/// failed) and once the actor system has terminated.
/// </summary>
internal abstract class ActorMqHealthCheck : IAkkaHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(AkkaHealthCheckContext context, CancellationToken cancellationToken)
    {
        var system = context.ActorSystem;
        if (system.WhenTerminated.IsCompleted) return Task.FromResult(HealthCheckResult.Unhealthy($"the actor system {system.Name} has terminated"));
        var hosted = HostedClient.For(system);
        if (hosted.Current is not { } client || hosted.Settings is not { } settings)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(hosted.Failure is { } failure
                ? $"ActorMq failed to start: {failure.Message}"
                : "ActorMq has not started yet", hosted.Failure));
        }
        return CheckAsync(client, settings, cancellationToken);
    }

    protected abstract Task<HealthCheckResult> CheckAsync(ActorMqClient client, HostingSettings settings, CancellationToken cancellationToken);
}
