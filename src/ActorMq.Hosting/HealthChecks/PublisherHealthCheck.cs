using ActorMq.Settings;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorMq.Hosting.HealthChecks;

/// <summary>
/// Publisher back-pressure: publish requests waiting in the publishers' buffers (the link is down or blocked) below
/// <c>actormq.hosting.health.buffer-degraded-ratio</c> of their capacity = Healthy; at or above it = Degraded.
/// </summary>
internal sealed class PublisherHealthCheck : ActorMqHealthCheck
{
    protected override Task<HealthCheckResult> CheckAsync(ActorMqClient client, HostingSettings settings, CancellationToken cancellationToken)
    {
        var statistics = client.GetStatistics();
        var publisher = client.Settings.Publisher;
        var capacity = (long)publisher.BufferSize * publisher.Publishers;
        var ratio = (double)statistics.Buffered / capacity;
        var data = new Dictionary<string, object>
        {
            ["buffered"] = statistics.Buffered,
            ["capacity"] = capacity,
            ["in-flight"] = statistics.InFlight,
            ["degraded-ratio"] = settings.BufferDegradedRatio,
        };
        var description = $"publishers buffer {statistics.Buffered} of {capacity} requests ({ratio:P0}; {PublisherSettings.Path}.buffer-size x publishers)";
        return Task.FromResult(ratio >= settings.BufferDegradedRatio
            ? HealthCheckResult.Degraded($"back-pressure: {description}", data: data)
            : HealthCheckResult.Healthy(description, data));
    }
}
