using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorMq.Hosting.HealthChecks;

/// <summary>ActorMq's health checks: <c>services.AddHealthChecks().AddActorMq()</c>.</summary>
public static class ActorMqHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds four checks of the ActorMq registered by <see cref="ActorMqServiceCollectionExtensions.AddActorMq"/>:
    /// <c>{name}-connection</c> (the broker link), <c>{name}-consumers</c> (every consumer consuming),
    /// <c>{name}-dead-store</c> (the store answers a query) and <c>{name}-publisher</c> (buffered publish requests).
    /// Each is Healthy, Degraded or Unhealthy with a description naming the link, consumer or store and a data
    /// dictionary of details; before ActorMq has started each is Unhealthy.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The prefix of the checks' names.</param>
    /// <param name="tags">Tags of every check (for filtering endpoints, e.g. "ready").</param>
    /// <param name="timeout">How long one check may take before it counts as failed; null = no limit beyond ActorMq's own ask timeouts.</param>
    public static IHealthChecksBuilder AddActorMq(this IHealthChecksBuilder builder, string name = "actormq", IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var tagList = tags?.ToList() ?? [];
        Add<ConnectionHealthCheck>(builder, $"{name}-connection", tagList, timeout);
        Add<ConsumersHealthCheck>(builder, $"{name}-consumers", tagList, timeout);
        Add<DeadStoreHealthCheck>(builder, $"{name}-dead-store", tagList, timeout);
        Add<PublisherHealthCheck>(builder, $"{name}-publisher", tagList, timeout);
        return builder;
    }

    // One instance per host (the dead store check remembers that it initialized the store's schema).
    private static void Add<TCheck>(IHealthChecksBuilder builder, string name, IReadOnlyList<string> tags, TimeSpan? timeout) where TCheck : class, IHealthCheck
    {
        builder.Services.TryAddSingleton<TCheck>();
        builder.Add(new HealthCheckRegistration(name, sp =>
        {
            if (sp.GetService<ActorMqRuntime>() is null)
                throw new InvalidOperationException($"health check '{name}' needs ActorMq in the host: call services.AddActorMq(...)");
            return sp.GetRequiredService<TCheck>();
        }, HealthStatus.Unhealthy, tags, timeout));
    }
}
