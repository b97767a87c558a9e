using ActorMq.DeadStore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorMq.Hosting.HealthChecks;

/// <summary>
/// The dead store answers a query (a count that matches no row) = Healthy; any failure = Unhealthy, naming the store. The
/// first successful check also initializes the store's schema (idempotent; ActorMq itself does so on the first dead letter),
/// so a fresh store is not reported as broken.
/// </summary>
internal sealed class DeadStoreHealthCheck : ActorMqHealthCheck
{
    private static readonly DeadLetterFilter NoRow = new() { Ids = [] };
    private volatile bool _initialized;

    protected override async Task<HealthCheckResult> CheckAsync(ActorMqClient client, HostingSettings settings, CancellationToken cancellationToken)
    {
        var store = client.DeadLetterStore;
        var data = new Dictionary<string, object> { ["store"] = store.Name };
        try
        {
            if (!_initialized)
            {
                await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
                _initialized = true;
            }
            await store.CountAsync(NoRow, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"dead store {store.Name} reachable", data);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"dead store {store.Name} unreachable: {e.Message}", e, data);
        }
    }
}
