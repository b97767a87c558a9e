using ActorMq.Topology;

namespace ActorMq.Settings;

/// <summary>Everything ActorMq reads from <c>actormq</c>, validated once at start.</summary>
/// <param name="Connection"><c>actormq.connection</c>.</param>
/// <param name="Topology"><c>actormq.topology</c>.</param>
/// <param name="Publisher"><c>actormq.publisher</c>.</param>
/// <param name="Consumers">Every entry of <c>actormq.consumers</c>, in definition order.</param>
/// <param name="Retry"><c>actormq.retry</c>.</param>
public sealed record ActorMqSettings(
    ConnectionSettings Connection,
    TopologySettings Topology,
    PublisherSettings Publisher,
    IReadOnlyList<ConsumerSettings> Consumers,
    RetrySettings Retry)
{
    /// <summary>Reads and validates every section; <paramref name="config"/> should have reference.conf as its fallback.</summary>
    /// <exception cref="ConfigurationException">A value is missing or invalid (the message names path and origin).</exception>
    public static ActorMqSettings Create(Akka.Configuration.Config config)
    {
        var topology = TopologySettings.Create(config);
        var consumers = SettingsReader.Keys(config, ConsumerSettings.ConsumersPath)
            .Select(name => ConsumerSettings.Create(config, name, topology.GroupQueuePattern))
            .ToList();
        foreach (var name in SettingsReader.Keys(config, ConsumerSettings.SubscriptionsPath))
        {
            if (consumers.Any(c => c.Name == name))
                throw new ConfigurationException($"{ConsumerSettings.SubscriptionsPath}.{name}",
                    $"{ConsumerSettings.SubscriptionsPath}.{name}: '{name}' is also a consumer under {ConsumerSettings.ConsumersPath} (expected one name for one consumer)");
            consumers.Add(ConsumerSettings.CreateSubscription(config, name, topology.GroupQueuePattern));
        }
        var duplicate = consumers.GroupBy(c => c.Queue, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ConfigurationException(ConsumerSettings.ConsumersPath,
                $"{ConsumerSettings.ConsumersPath}: consumers {string.Join(" and ", duplicate.Select(c => $"'{c.Name}'"))} both consume queue '{duplicate.Key}' (expected one consumer per queue; raise concurrency instead)");
        return new ActorMqSettings(
            ConnectionSettings.Create(config), topology, PublisherSettings.Create(config), consumers, RetrySettings.Create(config));
    }

    /// <summary>The consumer named <paramref name="name"/>.</summary>
    /// <exception cref="ConfigurationException">No such consumer is configured.</exception>
    public ConsumerSettings Consumer(string name) =>
        Consumers.FirstOrDefault(c => c.Name == name)
        ?? throw new ConfigurationException($"{ConsumerSettings.ConsumersPath}.{name}",
            $"consumer '{name}' is not configured (expected an entry {ConsumerSettings.ConsumersPath}.{name} {{ ... }}; configured: {string.Join(", ", Consumers.Select(c => c.Name))})");

    /// <summary>The queue name patterns.</summary>
    internal TopologyNames Names => new(Retry.TierQueuePattern, Retry.DelayQueuePattern, Topology.GroupQueuePattern, Topology.ParkedQueuePattern);
}
