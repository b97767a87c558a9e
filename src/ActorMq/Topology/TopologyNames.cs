namespace ActorMq.Topology;

/// <summary>
/// Turns the configured name patterns into queue names. Placeholders: <c>{queue}</c>,
/// <c>{exchange}</c>, <c>{group}</c> and <c>{delay}</c> (the <see cref="DelayName"/> text).
/// </summary>
/// <param name="RetryTierPattern">e.g. <c>{queue}.retry.{delay}</c> (<c>actormq.retry.tier-queue-pattern</c>).</param>
/// <param name="DelayQueuePattern">e.g. <c>{exchange}.delay.{delay}</c> (<c>actormq.retry.delay-queue-pattern</c>).</param>
/// <param name="GroupQueuePattern">e.g. <c>{exchange}.{group}</c> (<c>actormq.topology.group-queue-pattern</c>).</param>
/// <param name="ParkedQueuePattern">e.g. <c>{queue}.parked</c> (<c>actormq.topology.parked-queue-pattern</c>); empty = no parked queues.</param>
internal sealed record TopologyNames(string RetryTierPattern, string DelayQueuePattern, string GroupQueuePattern, string ParkedQueuePattern = "")
{
    /// <summary>The dead-letter target of work queue <paramref name="queue"/>, e.g. <c>orders.parked</c>; <c>null</c> when parking is off.</summary>
    public string? ParkedQueue(string queue) =>
        ParkedQueuePattern.Length == 0 ? null : ParkedQueuePattern.Replace("{queue}", queue, StringComparison.Ordinal);

    /// <summary>The retry tier queue for <paramref name="queue"/> and <paramref name="delay"/>, e.g. <c>orders.retry.5s</c>.</summary>
    public string RetryTier(string queue, TimeSpan delay) =>
        RetryTierPattern.Replace("{queue}", queue, StringComparison.Ordinal).Replace("{delay}", DelayName.Format(delay), StringComparison.Ordinal);

    /// <summary>The delay queue for <paramref name="exchange"/> and <paramref name="delay"/>, e.g. <c>orders.delay.1m</c>.</summary>
    public string DelayQueue(string exchange, TimeSpan delay) =>
        DelayQueuePattern.Replace("{exchange}", exchange, StringComparison.Ordinal).Replace("{delay}", DelayName.Format(delay), StringComparison.Ordinal);

    /// <summary>The queue of consumer group <paramref name="group"/> on <paramref name="exchange"/>, e.g. <c>orders.billing</c>.</summary>
    public string GroupQueue(string exchange, string group) =>
        GroupQueuePattern.Replace("{exchange}", exchange, StringComparison.Ordinal).Replace("{group}", group, StringComparison.Ordinal);
}
