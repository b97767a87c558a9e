using ActorMq.Connection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorMq.Hosting.HealthChecks;

/// <summary>
/// Every consumer consuming = Healthy; any not consuming = Degraded (the description names them and says whether the
/// link is down or the consumer itself is restarting). Data: per consumer its queue, state, in-flight and waiting deliveries
/// (<c>orders.queue</c>, <c>orders.consuming</c>, <c>orders.in-flight</c>, <c>orders.waiting</c>).
/// </summary>
internal sealed class ConsumersHealthCheck(ActorMqRuntime runtime) : ActorMqHealthCheck(runtime)
{
    protected override async Task<HealthCheckResult> CheckAsync(ActorMqClient client, HostingSettings settings, CancellationToken cancellationToken)
    {
        var consumers = await client.GetConsumersAsync(cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object>();
        foreach (var c in consumers)
        {
            data[$"{c.Consumer}.queue"] = c.Queue;
            data[$"{c.Consumer}.consuming"] = c.Consuming;
            data[$"{c.Consumer}.in-flight"] = c.InFlight;
            data[$"{c.Consumer}.waiting"] = c.Waiting;
        }
        var idle = consumers.Where(c => !c.Consuming).Select(c => $"{c.Consumer} (queue {c.Queue})").ToList();
        if (idle.Count == 0) return HealthCheckResult.Healthy($"{consumers.Count} consumers consuming", data);

        var link = await client.GetLinkStateAsync(cancellationToken).ConfigureAwait(false);
        var why = link.State is LinkState.Connected or LinkState.Blocked ? "restarting while the broker link is up" : $"waiting for the broker link ({link.State})";
        return HealthCheckResult.Degraded($"not consuming, {why}: {string.Join(", ", idle)}", data: data);
    }
}
