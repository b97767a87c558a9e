using ActorMq.Settings;
using ActorMq.Topology;

namespace ActorMq.Retry;

/// <summary>What to do with a failed delivery.</summary>
internal abstract record RetryDecision
{
    private RetryDecision() { }

    /// <summary>Publish a copy to <paramref name="TierQueue"/> (with confirms, then ack the original); it returns after <paramref name="Delay"/>.</summary>
    /// <param name="TierQueue">The retry tier queue, e.g. <c>orders.retry.30s</c>.</param>
    /// <param name="Delay">The tier's TTL.</param>
    /// <param name="NextRetries">The attempt header value the copy carries.</param>
    public sealed record RetryIn(string TierQueue, TimeSpan Delay, int NextRetries) : RetryDecision;

    /// <summary>Send the delivery to the dead store (ack after the commit).</summary>
    /// <param name="Reason">Why: attempts exhausted, or a permanent failure (named).</param>
    /// <param name="Attempts">How many times the message was handled, this failure included.</param>
    public sealed record DeadStore(string Reason, int Attempts) : RetryDecision;
}

/// <summary>
/// A consumer's retry policy: <c>max-attempts</c> handlings in all, waiting <c>delays[i]</c> before retry <c>i+1</c>
/// (the last delay repeats when there are fewer delays than retries); a permanent failure skips the tiers.
/// </summary>
internal sealed class RetryPolicy
{
    private readonly string _queue;
    private readonly ConsumerRetrySettings _settings;
    private readonly TopologyNames _names;

    public RetryPolicy(string queue, ConsumerRetrySettings settings, TopologyNames names)
    {
        if (settings.Delays.Count == 0) throw new ArgumentException($"retry policy for queue '{queue}' has no delays", nameof(settings));
        if (settings.MaxAttempts < 1) throw new ArgumentException($"retry policy for queue '{queue}' needs max-attempts ≥ 1", nameof(settings));
        _queue = queue;
        _settings = settings;
        _names = names;
    }

    /// <summary>The distinct tier delays this policy can use (its tier queues), in order.</summary>
    public IReadOnlyList<TimeSpan> TierDelays =>
        _settings.Delays.Take(Math.Max(0, _settings.MaxAttempts - 1)).Distinct().ToList();

    /// <summary>Decides for a delivery that had made <paramref name="retriesSoFar"/> retries and failed with <paramref name="failure"/>.</summary>
    /// <param name="retriesSoFar">The attempt header's value (0 on a first delivery).</param>
    /// <param name="failure">The handler's failure.</param>
    /// <param name="markedPermanent">True when the handler side already classified the failure as permanent.</param>
    public RetryDecision Decide(int retriesSoFar, Exception failure, bool markedPermanent = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retriesSoFar);
        var attempts = AttemptHeader.Next(retriesSoFar); // a header at int.MaxValue (saturated when read) stays there
        if (markedPermanent || IsPermanent(failure))
            return new RetryDecision.DeadStore($"permanent failure ({failure.GetType().FullName}): retries skipped", attempts);
        if (attempts >= _settings.MaxAttempts)
            return new RetryDecision.DeadStore($"gave up after {attempts} attempt(s) (max-attempts = {_settings.MaxAttempts})", attempts);
        var delay = _settings.Delays[Math.Min(retriesSoFar, _settings.Delays.Count - 1)];
        return new RetryDecision.RetryIn(_names.RetryTier(_queue, delay), delay, retriesSoFar + 1);
    }

    /// <summary>
    /// True for <see cref="PermanentFailureException"/> (deserialization errors included) and for exceptions whose type,
    /// or a base type, is listed in <c>permanent-exceptions</c> (full or simple name); an <see cref="AggregateException"/>
    /// with one inner exception is judged by that one.
    /// </summary>
    public bool IsPermanent(Exception failure)
    {
        if (failure is AggregateException { InnerExceptions.Count: 1 } aggregate) failure = aggregate.InnerExceptions[0];
        if (failure is PermanentFailureException) return true;
        for (var type = failure.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var name in _settings.PermanentExceptions)
            {
                if (name == type.FullName || name == type.Name) return true;
            }
        }
        return false;
    }
}
