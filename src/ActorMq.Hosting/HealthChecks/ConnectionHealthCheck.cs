using ActorMq.Connection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorMq.Hosting.HealthChecks;

/// <summary>The broker link: Connected = Healthy; Connecting or Blocked (resource alarm) = Degraded; Failed = Unhealthy.</summary>
internal sealed class ConnectionHealthCheck(ActorMqRuntime runtime) : ActorMqHealthCheck(runtime)
{
    protected override async Task<HealthCheckResult> CheckAsync(ActorMqClient client, HostingSettings settings, CancellationToken cancellationToken)
    {
        var link = await client.GetLinkStateAsync(cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object>
        {
            ["state"] = link.State.ToString(),
            ["since"] = link.Since,
        };
        if (link.Endpoint is { } endpoint) data["endpoint"] = endpoint;
        if (link.Reason is { } reason) data["reason"] = reason;
        var status = link.State switch
        {
            LinkState.Connected => HealthStatus.Healthy,
            LinkState.Failed => HealthStatus.Unhealthy,
            _ => HealthStatus.Degraded,
        };
        var description = $"broker link {link.State}" + (link.Endpoint is null ? "" : $" ({link.Endpoint})") + $" since {link.Since:u}"
            + (link.Reason is null || link.State == LinkState.Connected ? "" : $": {link.Reason}");
        return new HealthCheckResult(status, description, data: data);
    }
}
