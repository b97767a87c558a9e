using ActorMq.Connection;
using ActorMq.Consuming;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorMq.Hosting.HealthChecks;

/// <summary>
/// Every consumer consuming = Healthy; a consumer paused by its circuit breaker (open or half-open) or not consuming =
/// Degraded, the description naming each one and why. Data: per consumer its queue, state, breaker, in-flight and
/// waiting deliveries (<c>orders.queue</c>, <c>orders.consuming</c>, <c>orders.breaker</c>, <c>orders.in-flight</c>, <c>orders.waiting</c>).
/// </summary>
internal sealed class ConsumersHealthCheck : ActorMqHealthCheck
{
    protected override async Task<HealthCheckResult> CheckAsync(ActorMqClient client, HostingSettings settings, CancellationToken cancellationToken)
    {
        var consumers = await client.GetConsumersAsync(cancellationToken).ConfigureAwait(false);
        var link = await client.GetLinkStateAsync(cancellationToken).ConfigureAwait(false);
        return ConsumersHealth.Evaluate(consumers, link.State);
    }
}

/// <summary>The consumers check's verdict from their statuses (plain logic, tested without a broker).</summary>
internal static class ConsumersHealth
{
    public static HealthCheckResult Evaluate(IReadOnlyList<ConsumerStatus> consumers, LinkState link)
    {
        var data = new Dictionary<string, object>();
        foreach (var c in consumers)
        {
            data[$"{c.Consumer}.queue"] = c.Queue;
            data[$"{c.Consumer}.consuming"] = c.Consuming;
            data[$"{c.Consumer}.breaker"] = c.Breaker.ToString();
            data[$"{c.Consumer}.in-flight"] = c.InFlight;
            data[$"{c.Consumer}.waiting"] = c.Waiting;
            if (c.Problem is not null) data[$"{c.Consumer}.problem"] = c.Problem;
        }
        var problems = new List<string>();
        var breakers = consumers.Where(c => c.Breaker != BreakerState.Closed).ToList();
        if (breakers.Count > 0)
        {
            problems.Add(string.Join("; ", breakers.Select(c =>
                $"circuit breaker {(c.Breaker == BreakerState.HalfOpen ? "half-open (probing)" : "open")}: {c.Consumer} (queue {c.Queue}) paused, holding {c.Waiting} deliveries")));
        }
        var refused = consumers.Where(c => c.Breaker == BreakerState.Closed && !c.Consuming && c.Problem is not null).ToList();
        if (refused.Count > 0)
            problems.Add(string.Join("; ", refused.Select(c => $"not consuming, declarations refused: {c.Consumer} (queue {c.Queue}): {c.Problem}")));
        var idle = consumers.Where(c => c.Breaker == BreakerState.Closed && !c.Consuming && c.Problem is null).Select(c => $"{c.Consumer} (queue {c.Queue})").ToList();
        if (idle.Count > 0)
        {
            var why = link is LinkState.Connected or LinkState.Blocked ? "restarting while the broker link is up" : $"waiting for the broker link ({link})";
            problems.Add($"not consuming, {why}: {string.Join(", ", idle)}");
        }
        return problems.Count == 0
            ? HealthCheckResult.Healthy($"{consumers.Count} consumers consuming", data)
            : HealthCheckResult.Degraded(string.Join("; ", problems), data: data);
    }
}
