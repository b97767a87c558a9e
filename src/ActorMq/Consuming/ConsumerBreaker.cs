using Akka.Actor;
using Akka.Pattern;
using ActorMq.Settings;

namespace ActorMq.Consuming;

/// <summary>The state of a consumer's circuit breaker.</summary>
public enum BreakerState
{
    /// <summary>Consuming normally (also: the consumer has no breaker).</summary>
    Closed,

    /// <summary>One probe delivery is being handled; its outcome closes or reopens the breaker.</summary>
    HalfOpen,

    /// <summary>Not consuming: the deliveries in hand are held until the next probe.</summary>
    Open,
}

/// <summary>
/// A consumer's view of <see cref="CircuitBreaker"/>: the consumer reports each handler outcome, the breaker decides.
/// Adds what Akka's breaker does not count by itself: failures further apart than <c>within</c> start the count again, a
/// success slower than <c>call-timeout</c> counts as a failure, and <see cref="Trip"/> opens it at once. State changes are
/// reported through the callback (from the scheduler's thread: tell an actor, do not touch its state).
/// </summary>
internal sealed class ConsumerBreaker
{
    private readonly CircuitBreaker _breaker;
    private readonly CircuitBreakerSettings _settings;
    private readonly IScheduler _scheduler;
    private DateTimeOffset _lastFailure = DateTimeOffset.MinValue;
    private long _openTicks;

    public ConsumerBreaker(CircuitBreakerSettings settings, IScheduler scheduler, Action<BreakerState> changed)
    {
        _settings = settings;
        _scheduler = scheduler;
        _breaker = new CircuitBreaker(scheduler, settings.MaxFailures, settings.CallTimeout, settings.ResetTimeout,
            settings.MaxResetTimeout, settings.ExponentialBackoffFactor);
        _openTicks = settings.ResetTimeout.Ticks;
        _breaker.OnOpen(() => changed(BreakerState.Open));
        _breaker.OnHalfOpen(() => changed(BreakerState.HalfOpen));
        _breaker.OnClose(() => changed(BreakerState.Closed));
    }

    public BreakerState State => _breaker.IsClosed ? BreakerState.Closed : _breaker.IsHalfOpen ? BreakerState.HalfOpen : BreakerState.Open;

    /// <summary>How long the breaker stays open before the next probe (grows after each failed probe).</summary>
    public TimeSpan CurrentResetTimeout => TimeSpan.FromTicks(_openTicks);

    /// <summary>Failures counted toward <c>max-failures</c> while closed.</summary>
    public long FailureCount => _breaker.CurrentFailureCount;

    /// <summary>A handler succeeded after <paramref name="elapsed"/>.</summary>
    public void Succeeded(TimeSpan elapsed)
    {
        if (elapsed > _settings.CallTimeout) Failed();
        else Observe(_breaker.Succeed);
    }

    /// <summary>A handler failed (not permanently).</summary>
    public void Failed()
    {
        var now = _scheduler.Now;
        if (_breaker.IsClosed && now - _lastFailure > _settings.Within) _breaker.Succeed(); // the previous failures are too old
        _lastFailure = now;
        Observe(_breaker.Fail);
    }

    /// <summary>The handler said its downstream is unavailable: open now.</summary>
    public void Trip()
    {
        _lastFailure = _scheduler.Now;
        for (var i = 0; i < _settings.MaxFailures && !_breaker.IsOpen; i++) Observe(_breaker.Fail);
    }

    /// <summary>
    /// Runs one report and mirrors Akka's open time (not public on its breaker), for the log and status: after a failed
    /// probe it grows by the factor as long as the result stays below max-reset-timeout (a step that would reach it is not
    /// taken); any other opening, and closing, start again from reset-timeout. Only the consumer's reports open or close
    /// the breaker (half-open comes from the scheduler), so the mirror is exact.
    /// </summary>
    private void Observe(Action report)
    {
        var before = State;
        report();
        var after = State;
        if (after == before) return;
        if (before == BreakerState.HalfOpen && after == BreakerState.Open)
        {
            var next = (long)(_openTicks * _settings.ExponentialBackoffFactor);
            if (next < _settings.MaxResetTimeout.Ticks) _openTicks = next;
        }
        else
        {
            _openTicks = _settings.ResetTimeout.Ticks;
        }
    }
}
