namespace ActorMq.Actors;

/// <summary>Implemented by actors that use keyed timers; the kernel sets <see cref="Timers"/> before the constructor body runs.</summary>
public interface IWithTimers
{
    /// <summary>This actor's timers (set by the kernel).</summary>
    ITimerScheduler Timers { get; set; }
}

/// <summary>
/// An actor's keyed timers. Starting a timer with a key in use replaces it; a cancelled timer's
/// message is never delivered, even if already in the mailbox. All timers are cancelled when the
/// actor restarts or stops.
/// </summary>
public interface ITimerScheduler
{
    /// <summary>Sends <paramref name="message"/> to self once, after <paramref name="delay"/>.</summary>
    void StartSingleTimer(object key, object message, TimeSpan delay);

    /// <summary>Sends <paramref name="message"/> to self every <paramref name="interval"/>.</summary>
    void StartPeriodicTimer(object key, object message, TimeSpan interval);

    /// <summary>Sends <paramref name="message"/> to self after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval);

    /// <summary>Whether a timer with <paramref name="key"/> is active (a single timer stops being active once delivered).</summary>
    bool IsTimerActive(object key);

    /// <summary>Cancels the timer with <paramref name="key"/>, if any.</summary>
    void Cancel(object key);

    /// <summary>Cancels every timer.</summary>
    void CancelAll();

    /// <summary>The keys of the active timers.</summary>
    IReadOnlyCollection<object> ActiveTimers { get; }
}

/// <summary>The timers of one actor; used only from the actor's own thread.</summary>
internal sealed class TimerScheduler(ActorCell cell) : ITimerScheduler
{
    private readonly Dictionary<object, Entry> timers = new();
    private int generation;

    public IReadOnlyCollection<object> ActiveTimers => timers.Keys.ToList();

    public void StartSingleTimer(object key, object message, TimeSpan delay) => Start(key, message, delay, null);

    public void StartPeriodicTimer(object key, object message, TimeSpan interval) => Start(key, message, interval, interval);

    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval) => Start(key, message, initialDelay, interval);

    public bool IsTimerActive(object key) => timers.ContainsKey(key);

    public void Cancel(object key)
    {
        if (timers.Remove(key, out var entry)) entry.Task.Cancel();
    }

    public void CancelAll()
    {
        foreach (var entry in timers.Values) entry.Task.Cancel();
        timers.Clear();
    }

    /// <summary>The message to deliver for a fired timer, or null if it was cancelled or replaced since.</summary>
    public object? OnFired(TimerFired fired)
    {
        if (!timers.TryGetValue(fired.Key, out var entry) || entry.Generation != fired.Generation) return null;
        if (!entry.Periodic) timers.Remove(fired.Key);
        return fired.Message;
    }

    private void Start(object key, object message, TimeSpan delay, TimeSpan? interval)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        Cancel(key);
        var fired = new TimerFired(key, ++generation, message);
        var scheduler = cell.System.Scheduler;
        var task = interval is { } every
            ? scheduler.ScheduleTellRepeatedly(delay, every, cell.SelfRef, fired, ActorRefs.Nobody)
            : scheduler.ScheduleTellOnce(delay, cell.SelfRef, fired, ActorRefs.Nobody);
        timers[key] = new Entry(fired.Generation, interval is not null, task);
    }

    private sealed record Entry(int Generation, bool Periodic, ICancelable Task);

    /// <summary>The wrapper a timer sends; stale ones are dropped.</summary>
    internal sealed record TimerFired(object Key, int Generation, object Message);
}
