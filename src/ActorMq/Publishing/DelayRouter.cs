using ActorMq.Settings;
using ActorMq.Topology;

namespace ActorMq.Publishing;

/// <summary>Where a delayed message goes and what must be declared for it (idempotent declarations).</summary>
/// <param name="Exchange">The delay exchange to publish to (fanout, named like the queue), with the message's own routing key.</param>
/// <param name="Queue">The delay queue ({exchange}.delay.{delay}): TTL, dead-letters to the target exchange.</param>
/// <param name="Binding">Binds the delay queue to the delay exchange.</param>
/// <param name="EffectiveDelay">The queue's TTL (the requested delay rounded up).</param>
internal sealed record DelayRoute(ExchangeDeclaration Exchange, QueueDeclaration Queue, BindingDeclaration Binding, TimeSpan EffectiveDelay);

/// <summary>
/// Picks the delay queue for <c>PublishAsync(..., delay)</c>. <c>tiers</c>: the smallest tier ≥ the delay (a delay
/// above the largest tier is refused). <c>exact</c>: the delay rounded up to whole milliseconds, one queue each, at most
/// <c>max-exact-queues</c> distinct queues. The message is published to the route's delay exchange with its own routing
/// key, so when the TTL expires it reaches the target exchange with that key. Owned by one actor (not thread-safe).
/// </summary>
internal sealed class DelayRouter(RetrySettings settings, TopologyNames names)
{
    private readonly HashSet<string> _exactQueues = new(StringComparer.Ordinal);

    /// <summary>The route for a message to <paramref name="exchange"/> delayed by <paramref name="delay"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The delay is not positive, or above the largest tier.</exception>
    /// <exception cref="ActorMqException">Exact mode would create more than <c>max-exact-queues</c> queues.</exception>
    public DelayRoute Route(string exchange, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(delay), delay, "a publish delay must be positive");
        TimeSpan effective;
        if (settings.DelayedPublishMode == DelayedPublishMode.Tiers)
        {
            effective = settings.DelayTiers.FirstOrDefault(t => t >= delay);
            if (effective == TimeSpan.Zero)
                throw new ArgumentOutOfRangeException(nameof(delay), delay,
                    $"delay {delay} is longer than the largest tier {settings.DelayTiers[^1]} (actormq.retry.delayed-publish.tiers)");
        }
        else
        {
            var ms = (long)Math.Ceiling(delay.Ticks / (double)TimeSpan.TicksPerMillisecond);
            effective = TimeSpan.FromMilliseconds(ms);
        }
        var (delayExchange, queue, binding) = TopologyShapes.DelayPath(names, exchange, effective, settings.DelayQueueType);
        if (settings.DelayedPublishMode == DelayedPublishMode.Exact && !_exactQueues.Contains(queue.Name))
        {
            if (_exactQueues.Count >= settings.MaxExactQueues)
                throw new ActorMqException($"delayed publish to '{exchange}' by {delay} needs a new delay queue '{queue.Name}', but {settings.MaxExactQueues} exact delay queues exist already (actormq.retry.delayed-publish.max-exact-queues); use fewer distinct delays or mode = tiers");
            _exactQueues.Add(queue.Name);
        }
        return new DelayRoute(delayExchange, queue, binding, effective);
    }
}
