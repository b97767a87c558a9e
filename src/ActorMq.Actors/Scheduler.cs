namespace ActorMq.Actors;

/// <summary>Something scheduled that can be cancelled.</summary>
public interface ICancelable
{
    /// <summary>Whether <see cref="Cancel"/> was called.</summary>
    bool IsCancellationRequested { get; }

    /// <summary>Cancels it; a no-op if it already ran (a one-shot) or was cancelled.</summary>
    void Cancel();
}

/// <summary>
/// Schedules messages and actions. The system's scheduler (<see cref="ActorSystem.Scheduler"/>)
/// drives actor timers, receive timeouts, backoff and supervision windows, so a virtual-time
/// scheduler (the TestKit's <c>TestScheduler</c>) given in <see cref="ActorSystemOptions.Scheduler"/>
/// makes all of them deterministic.
/// </summary>
public interface IScheduler
{
    /// <summary>The scheduler's clock.</summary>
    DateTimeOffset Now { get; }

    /// <summary>Sends <paramref name="message"/> to <paramref name="receiver"/> once, after <paramref name="delay"/>.</summary>
    ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender);

    /// <summary>Sends <paramref name="message"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/> until cancelled.</summary>
    ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender);

    /// <summary>Runs <paramref name="action"/> once after <paramref name="delay"/> (on a pool thread; keep it short).</summary>
    ICancelable ScheduleOnce(TimeSpan delay, Action action);
}

/// <summary>
/// A scheduler needs only a clock and <see cref="ScheduleOnce"/>; this base builds the message
/// variants on top (a repeated send re-arms itself after each send).
/// </summary>
public abstract class SchedulerBase : IScheduler
{
    /// <inheritdoc />
    public abstract DateTimeOffset Now { get; }

    /// <inheritdoc />
    public abstract ICancelable ScheduleOnce(TimeSpan delay, Action action);

    /// <inheritdoc />
    public ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        return ScheduleOnce(delay, () => receiver.Tell(message, sender ?? ActorRefs.Nobody));
    }

    /// <inheritdoc />
    public ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "the interval must be positive");
        var repeating = new Repeating(this, interval, () => receiver.Tell(message, sender ?? ActorRefs.Nobody));
        repeating.Arm(initialDelay);
        return repeating;
    }

    private sealed class Repeating(SchedulerBase scheduler, TimeSpan interval, Action send) : ICancelable
    {
        private ICancelable? next;
        private volatile bool cancelled;

        public bool IsCancellationRequested => cancelled;

        public void Arm(TimeSpan delay)
        {
            if (cancelled) return;
            var scheduled = scheduler.ScheduleOnce(delay, Fire);
            Volatile.Write(ref next, scheduled);
            if (cancelled) scheduled.Cancel();
        }

        public void Cancel()
        {
            cancelled = true;
            Volatile.Read(ref next)?.Cancel();
        }

        private void Fire()
        {
            if (cancelled) return;
            send();
            Arm(interval);
        }
    }
}

/// <summary>The real-time scheduler, on <see cref="TimeProvider.System"/> timers. A throwing action is logged, never fatal.</summary>
internal sealed class DefaultScheduler(Microsoft.Extensions.Logging.ILogger log) : SchedulerBase
{
    public override DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    public override ICancelable ScheduleOnce(TimeSpan delay, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        var scheduled = new Scheduled(action, log);
        // The timer's state holds the Scheduled, which holds the timer: it stays rooted until it fires or is cancelled.
        scheduled.Timer = TimeProvider.System.CreateTimer(static s => ((Scheduled)s!).Fire(), scheduled, delay, Timeout.InfiniteTimeSpan);
        return scheduled;
    }

    private sealed class Scheduled(Action action, Microsoft.Extensions.Logging.ILogger log) : ICancelable
    {
        private int state; // 0 pending, 1 fired, 2 cancelled

        public ITimer? Timer { get; set; }

        public bool IsCancellationRequested => Volatile.Read(ref state) == 2;

        public void Cancel()
        {
            if (Interlocked.CompareExchange(ref state, 2, 0) == 0) Timer?.Dispose();
        }

        public void Fire()
        {
            if (Interlocked.CompareExchange(ref state, 1, 0) != 0) return;
            Timer?.Dispose();
            try
            {
                action();
            }
            catch (Exception e)
            {
                Actors.Log.ScheduledActionFailed(log, e);
            }
        }
    }
}
