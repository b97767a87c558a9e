using ActorMq.Connection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorMq.Hosting.HealthChecks;

/// <summary>
/// The broker link: Connected = Healthy; Blocked (resource alarm) = Degraded; Connecting = Degraded, and Unhealthy once
/// the check has seen it down for <c>actormq.hosting.health.unhealthy-after</c>; Failed = Unhealthy with the reason.
/// </summary>
internal sealed class ConnectionHealthCheck : ActorMqHealthCheck
{
    private readonly object _gate = new();
    private DateTimeOffset? _downSince;

    protected override async Task<HealthCheckResult> CheckAsync(ActorMqClient client, HostingSettings settings, CancellationToken cancellationToken)
    {
        var link = await client.GetLinkStateAsync(cancellationToken).ConfigureAwait(false);
        var now = client.System.Scheduler.Now;
        DateTimeOffset? downSince;
        lock (_gate)
        {
            _downSince = link.State == LinkState.Connecting ? _downSince ?? (link.Since < now ? link.Since : now) : null;
            downSince = _downSince;
        }
        return ConnectionHealth.Evaluate(link, downSince, now, settings.UnhealthyAfter);
    }
}

/// <summary>The connection check's verdict from the link state (plain logic, tested without a broker).</summary>
internal static class ConnectionHealth
{
    public static HealthCheckResult Evaluate(LinkStateChanged link, DateTimeOffset? downSince, DateTimeOffset now, TimeSpan? unhealthyAfter)
    {
        var data = new Dictionary<string, object>
        {
            ["state"] = link.State.ToString(),
            ["since"] = link.Since,
        };
        if (link.Endpoint is { } endpoint) data["endpoint"] = endpoint;
        if (link.Reason is { } reason) data["reason"] = reason;
        var description = $"broker link {link.State}" + (link.Endpoint is null ? "" : $" ({link.Endpoint})") + $" since {link.Since:u}"
            + (link.Reason is null || link.State == LinkState.Connected ? "" : $": {link.Reason}");
        switch (link.State)
        {
            case LinkState.Connected:
                return HealthCheckResult.Healthy(description, data);
            case LinkState.Failed:
                return HealthCheckResult.Unhealthy(description, data: data);
            case LinkState.Connecting when downSince is { } down && unhealthyAfter is { } limit && now - down >= limit:
                data["down-since"] = down;
                return HealthCheckResult.Unhealthy(
                    $"{description}; reconnecting for {(now - down).TotalSeconds:0} s, beyond {HostingSettings.Path}.health.unhealthy-after = {limit.TotalSeconds:0.###} s",
                    data: data);
            default:
                return HealthCheckResult.Degraded(description, data: data);
        }
    }
}
