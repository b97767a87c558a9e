using ActorMq.DeadStore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorMq.Hosting.HealthChecks;

/// <summary>The dead store answers a query (a count that matches no row) = Healthy; any failure = Unhealthy, naming the store.</summary>
internal sealed class DeadStoreHealthCheck(ActorMqRuntime runtime) : ActorMqHealthCheck(runtime)
{
    private static readonly DeadLetterFilter NoRow = new() { Ids = [] };

    protected override async Task<HealthCheckResult> CheckAsync(ActorMqClient client, HostingSettings settings, CancellationToken cancellationToken)
    {
        var store = client.DeadLetterStore;
        var data = new Dictionary<string, object> { ["store"] = store.Name };
        try
        {
            await store.CountAsync(NoRow, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"dead store {store.Name} reachable", data);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"dead store {store.Name} unreachable: {e.Message}", e, data);
        }
    }
}
