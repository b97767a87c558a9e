using System.Diagnostics;
using Akka.Actor;
using ActorMq.Settings;

namespace ActorMq.Consuming;

/// <summary>Timer message: try settling a held failure again.</summary>
internal sealed record SettleAgain<T>(Delivery Delivery, T Failure);

/// <summary>Timer message: a settle try had no answer within <c>retry.settle-timeout</c>.</summary>
internal sealed record SettleTimedOut(Delivery Delivery);

/// <summary>
/// Failures a consuming actor could not make durable yet (the dead store down, a retry copy not confirmed, no answer in
/// time), held unacked and settled again after a backoff of their own (<c>retry.requeue-backoff</c>) instead of being
/// requeued — a requeue would spend a quorum queue's delivery limit on ActorMq's own outage — until
/// <c>retry.settle-hold</c> has passed. Also each try's <c>retry.settle-timeout</c>. Shared by the ConsumerActor and the
/// stream source's actor, which tell the outcomes and log in their own words. Created in the actor's PreStart (timers).
/// </summary>
internal sealed class HeldSettles<T>(RetrySettings retry, ITimerScheduler timers)
{
    private readonly Dictionary<ulong, (Delivery Delivery, T Failure, int Tries, long Since)> _held = [];

    /// <summary>A settle try began: it times out after <c>retry.settle-timeout</c> (<see cref="SettleTimedOut"/>).</summary>
    public void Started(Delivery delivery) => timers.StartSingleTimer(TimeoutKey(delivery), new SettleTimedOut(delivery), retry.SettleTimeout);

    /// <summary>A settle try was answered (either way): its timeout stops.</summary>
    public void Answered(Delivery delivery) => timers.Cancel(TimeoutKey(delivery));

    /// <summary>True while <paramref name="delivery"/> is held for another try.</summary>
    public bool IsHeld(Delivery delivery) => _held.ContainsKey(delivery.DeliveryTag);

    /// <summary>True while the backoff before <paramref name="delivery"/>'s next try runs (no try in flight).</summary>
    public bool AwaitsRetry(Delivery delivery) => timers.IsTimerActive(RetryKey(delivery));

    /// <summary>
    /// Holds <paramref name="failure"/> for another try after its backoff (<see cref="SettleAgain{T}"/>) and returns the
    /// try's number and delay; or, when <paramref name="giveBack"/> is set or it was held past <c>retry.settle-hold</c>,
    /// forgets it and returns <c>null</c>: the caller gives the delivery back to its queue.
    /// </summary>
    public (int Try, TimeSpan Delay)? Hold(Delivery delivery, T failure, bool giveBack, out TimeSpan heldFor)
    {
        var (_, _, tries, since) = _held.TryGetValue(delivery.DeliveryTag, out var seen) ? seen : (delivery, failure, 0, Stopwatch.GetTimestamp());
        heldFor = Stopwatch.GetElapsedTime(since);
        if (giveBack || heldFor >= retry.SettleHold)
        {
            _held.Remove(delivery.DeliveryTag);
            return null;
        }
        _held[delivery.DeliveryTag] = (delivery, failure, tries + 1, since);
        var delay = retry.RequeueBackoff.Delay(tries, Random.Shared.NextDouble());
        timers.StartSingleTimer(RetryKey(delivery), new SettleAgain<T>(delivery, failure), delay);
        return (tries + 1, delay);
    }

    /// <summary>Settled: forgets <paramref name="delivery"/> and stops its timers; true when it was held.</summary>
    public bool Release(Delivery delivery)
    {
        Answered(delivery);
        timers.Cancel(RetryKey(delivery));
        return _held.Remove(delivery.DeliveryTag);
    }

    /// <summary>Forgets every held failure and stops its timers (a drain gives them back); returns their deliveries.</summary>
    public IReadOnlyList<Delivery> TakeAll()
    {
        var deliveries = _held.Values.Select(h => h.Delivery).ToList();
        foreach (var delivery in deliveries) Release(delivery);
        return deliveries;
    }

    /// <summary>The channel is gone: its deliveries are the broker's again.</summary>
    public void Clear() => _held.Clear();

    /// <summary>What a settle try that timed out failed with.</summary>
    public TimeoutException TimeoutError(Delivery delivery) => new(
        $"settling the failure of message '{delivery.Properties.MessageId}' (a retry copy's confirm or a dead-store write) took longer than {retry.SettleTimeout} (actormq.retry.settle-timeout)");

    private static (string, long, ulong) TimeoutKey(Delivery delivery) => ("settle-timeout", delivery.Generation, delivery.DeliveryTag);

    private static (string, long, ulong) RetryKey(Delivery delivery) => ("settle", delivery.Generation, delivery.DeliveryTag);
}
