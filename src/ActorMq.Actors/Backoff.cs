namespace ActorMq.Actors;

/// <summary>Builds <see cref="BackoffOptions"/> for <see cref="BackoffSupervisor.Props"/>.</summary>
public static class Backoff
{
    /// <summary>
    /// Restart the child with exponential backoff when it <b>fails</b> (a Restart directive becomes
    /// a stop followed by a delayed start). If the child stops by itself, the supervisor stops too.
    /// </summary>
    public static BackoffOptions OnFailure(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor) =>
        new(BackoffMode.OnFailure, childProps, childName, minBackoff, maxBackoff, randomFactor);

    /// <summary>
    /// Start the child again with exponential backoff whenever it <b>stops</b> (for whatever reason);
    /// failures are handled by the strategy (default: restart at once).
    /// </summary>
    public static BackoffOptions OnStop(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor) =>
        new(BackoffMode.OnStop, childProps, childName, minBackoff, maxBackoff, randomFactor);
}

/// <summary>When a backoff supervisor restarts its child.</summary>
public enum BackoffMode
{
    /// <summary>After the child failed.</summary>
    OnFailure,

    /// <summary>After the child stopped.</summary>
    OnStop,
}

/// <summary>The configuration of a <see cref="BackoffSupervisor"/>. Immutable; the <c>With*</c> methods return copies.</summary>
public sealed record BackoffOptions
{
    internal BackoffOptions(BackoffMode mode, Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor)
    {
        ArgumentNullException.ThrowIfNull(childProps);
        ArgumentException.ThrowIfNullOrWhiteSpace(childName);
        if (minBackoff <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(minBackoff), minBackoff, "minBackoff must be positive");
        if (maxBackoff < minBackoff) throw new ArgumentOutOfRangeException(nameof(maxBackoff), maxBackoff, "maxBackoff must be at least minBackoff");
        if (randomFactor is < 0 or > 1 || double.IsNaN(randomFactor)) throw new ArgumentOutOfRangeException(nameof(randomFactor), randomFactor, "randomFactor must be between 0 and 1");
        Mode = mode;
        ChildProps = childProps;
        ChildName = childName;
        MinBackoff = minBackoff;
        MaxBackoff = maxBackoff;
        RandomFactor = randomFactor;
        AutoReset = minBackoff;
    }

    /// <summary>When the child is restarted.</summary>
    public BackoffMode Mode { get; }

    /// <summary>How the child is created.</summary>
    public Props ChildProps { get; }

    /// <summary>The child's name.</summary>
    public string ChildName { get; }

    /// <summary>The first delay.</summary>
    public TimeSpan MinBackoff { get; }

    /// <summary>The largest delay (before the random factor).</summary>
    public TimeSpan MaxBackoff { get; }

    /// <summary>Up to this fraction is added to each delay at random (0 for none).</summary>
    public double RandomFactor { get; }

    /// <summary>
    /// After the child has run this long, the restart count (and so the delay) resets; <c>null</c>
    /// for manual reset only (<see cref="BackoffSupervisor.Reset"/>). Defaults to <see cref="MinBackoff"/>.
    /// </summary>
    public TimeSpan? AutoReset { get; private init; }

    /// <summary>Restarts before the supervisor gives up and stops; -1 (the default) for no limit.</summary>
    public int MaxNrOfRetries { get; private init; } = -1;

    /// <summary>The strategy for the child's failures; the default strategy if null.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; private init; }

    /// <summary>Resets the restart count after the child has run for <paramref name="resetBackoff"/>.</summary>
    public BackoffOptions WithAutoReset(TimeSpan resetBackoff) =>
        resetBackoff > TimeSpan.Zero ? this with { AutoReset = resetBackoff } : throw new ArgumentOutOfRangeException(nameof(resetBackoff), resetBackoff, "must be positive");

    /// <summary>Resets the restart count only on <see cref="BackoffSupervisor.Reset"/> (sent by the child, typically).</summary>
    public BackoffOptions WithManualReset() => this with { AutoReset = null };

    /// <summary>Gives up (the supervisor stops) after <paramref name="maxNrOfRetries"/> restarts; -1 for no limit.</summary>
    public BackoffOptions WithMaxNrOfRetries(int maxNrOfRetries) =>
        maxNrOfRetries >= -1 ? this with { MaxNrOfRetries = maxNrOfRetries } : throw new ArgumentOutOfRangeException(nameof(maxNrOfRetries), maxNrOfRetries, "must be -1 or more");

    /// <summary>Uses <paramref name="strategy"/>'s decider for the child's failures.</summary>
    public BackoffOptions WithSupervisorStrategy(SupervisorStrategy strategy) =>
        this with { SupervisorStrategy = strategy ?? throw new ArgumentNullException(nameof(strategy)) };
}

/// <summary>
/// A supervisor that restarts its one child with exponential backoff (and optional jitter). Every
/// message except its own protocol is forwarded to the current child (to dead letters while there
/// is none). Its timers run on the system scheduler, so a TestScheduler drives them.
/// </summary>
public static class BackoffSupervisor
{
    /// <summary>Props of a backoff supervisor.</summary>
    public static Props Props(BackoffOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Actors.Props.FromFactory(() => new BackoffSupervisorActor(options));
    }

    /// <summary>The delay before restart number <paramref name="restartCount"/> + 1: <c>min(max, min * 2^n) * (1 + random * randomFactor)</c>.</summary>
    public static TimeSpan CalculateDelay(int restartCount, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor)
    {
        var jitter = 1.0 + Random.Shared.NextDouble() * randomFactor;
        var exponential = minBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(restartCount, 62));
        var bounded = double.IsFinite(exponential) ? Math.Min(maxBackoff.TotalMilliseconds, exponential) : maxBackoff.TotalMilliseconds;
        return TimeSpan.FromMilliseconds(bounded * jitter);
    }

    /// <summary>Asks the supervisor for its current child; answered by <see cref="CurrentChild"/>.</summary>
    public sealed record GetCurrentChild
    {
        private GetCurrentChild() { }

        /// <summary>The single instance.</summary>
        public static GetCurrentChild Instance { get; } = new();
    }

    /// <summary>The current child, or <c>null</c> while it is being (re)started.</summary>
    public sealed record CurrentChild(IActorRef? Ref);

    /// <summary>Resets the restart count (so the next delay is the minimum).</summary>
    public sealed record Reset
    {
        private Reset() { }

        /// <summary>The single instance.</summary>
        public static Reset Instance { get; } = new();
    }

    /// <summary>Asks for the restart count; answered by <see cref="RestartCount"/>.</summary>
    public sealed record GetRestartCount
    {
        private GetRestartCount() { }

        /// <summary>The single instance.</summary>
        public static GetRestartCount Instance { get; } = new();
    }

    /// <summary>How many restarts happened since the last reset.</summary>
    public sealed record RestartCount(int Count);
}

/// <summary>The actor behind <see cref="BackoffSupervisor"/>.</summary>
internal sealed class BackoffSupervisorActor : ActorBase, IWithTimers
{
    private const string StartChildTimer = "backoff-start-child";
    private const string ResetTimer = "backoff-reset";

    private readonly BackoffOptions options;
    private readonly SupervisorStrategy strategy;
    private IActorRef? child;
    private int restartCount;
    private bool restartAfterFailure;

    public BackoffSupervisorActor(BackoffOptions options)
    {
        this.options = options;
        var inner = options.SupervisorStrategy ?? Actors.SupervisorStrategy.DefaultStrategy;
        strategy = options.Mode == BackoffMode.OnFailure
            ? new OneForOneStrategy(inner.MaxNrOfRetries, inner.WithinTimeRange, DecideOnFailure)
            : inner;

        Directive DecideOnFailure(Exception e)
        {
            var directive = inner.Decider(e);
            if (directive != Directive.Restart) return directive;
            restartAfterFailure = true;
            return Directive.Stop;
        }
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override SupervisorStrategy SupervisorStrategy() => strategy;

    protected override void PreStart() => StartChild();

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case Terminated terminated when terminated.ActorRef.Equals(child):
                OnChildTerminated();
                return true;
            case StartChildNow:
                StartChild();
                return true;
            case ResetIfUnchanged reset:
                if (reset.RestartCount == restartCount) restartCount = 0;
                return true;
            case BackoffSupervisor.GetCurrentChild:
                Sender.Tell(new BackoffSupervisor.CurrentChild(child), Self);
                return true;
            case BackoffSupervisor.Reset:
                restartCount = 0;
                return true;
            case BackoffSupervisor.GetRestartCount:
                Sender.Tell(new BackoffSupervisor.RestartCount(restartCount), Self);
                return true;
            default:
                (child ?? Context.System.DeadLetters).Tell(message, Sender);
                return true;
        }
    }

    private void StartChild()
    {
        if (child is not null) return;
        child = Context.Watch(Context.ActorOf(options.ChildProps, options.ChildName));
        if (options.AutoReset is { } after && restartCount > 0)
            Timers.StartSingleTimer(ResetTimer, new ResetIfUnchanged(restartCount), after);
    }

    private void OnChildTerminated()
    {
        child = null;
        Timers.Cancel(ResetTimer);
        var restart = options.Mode == BackoffMode.OnStop || restartAfterFailure;
        restartAfterFailure = false;
        if (!restart || (options.MaxNrOfRetries >= 0 && restartCount >= options.MaxNrOfRetries))
        {
            Context.Stop(Self);
            return;
        }
        var delay = BackoffSupervisor.CalculateDelay(restartCount, options.MinBackoff, options.MaxBackoff, options.RandomFactor);
        restartCount++;
        Timers.StartSingleTimer(StartChildTimer, StartChildNow.Instance, delay);
    }

    private sealed record StartChildNow
    {
        public static StartChildNow Instance { get; } = new();
    }

    private sealed record ResetIfUnchanged(int RestartCount);
}
