namespace ActorMq.Actors;

/// <summary>What a supervisor does with a failed child.</summary>
public enum Directive
{
    /// <summary>Keep the child's instance and state; continue with its next message.</summary>
    Resume,

    /// <summary>Replace the child's instance (same ref, same mailbox); the failing message is not retried.</summary>
    Restart,

    /// <summary>Stop the child.</summary>
    Stop,

    /// <summary>Fail the supervisor itself with the same exception; its own supervisor decides.</summary>
    Escalate,
}

/// <summary>
/// How an actor treats its failing children. As in Akka: the default restarts on any exception,
/// stops on <see cref="ActorInitializationException"/>, <see cref="ActorKilledException"/> and
/// <see cref="DeathPactException"/>, with no limit on restarts.
/// </summary>
public abstract class SupervisorStrategy
{
    /// <summary>Creates a strategy.</summary>
    protected SupervisorStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
    {
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange is { } w && w > TimeSpan.Zero && w != Timeout.InfiniteTimeSpan && w != TimeSpan.MaxValue ? w : null;
        Decider = decider ?? throw new ArgumentNullException(nameof(decider));
    }

    /// <summary>Akka's default decider: stop on initialization failure, <see cref="Kill"/> and death pact; restart otherwise.</summary>
    public static Func<Exception, Directive> DefaultDecider { get; } = e => e switch
    {
        ActorInitializationException or ActorKilledException or DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>The default strategy: one-for-one, <see cref="DefaultDecider"/>, unlimited restarts.</summary>
    public static SupervisorStrategy DefaultStrategy { get; } = new OneForOneStrategy(DefaultDecider);

    /// <summary>A one-for-one strategy that stops any failing child.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>
    /// Restarts allowed per child: -1 for no limit (or, with <see cref="WithinTimeRange"/>, one per
    /// window), 0 for none (a restart becomes a stop).
    /// </summary>
    public int MaxNrOfRetries { get; }

    /// <summary>The window <see cref="MaxNrOfRetries"/> counts in; <c>null</c> for ever.</summary>
    public TimeSpan? WithinTimeRange { get; }

    /// <summary>Maps a failure to a directive.</summary>
    public Func<Exception, Directive> Decider { get; }

    /// <summary>The children a Restart or Stop applies to when <paramref name="failed"/> failed.</summary>
    private protected abstract IEnumerable<ActorCell> Affected(ActorCell supervisor, ActorCell failed);

    internal void Apply(ActorCell supervisor, ActorCell child, Exception cause, Directive directive)
    {
        if (directive == Directive.Restart && !MayRestart(supervisor, child)) directive = Directive.Stop;
        Log(supervisor, child, cause, directive);
        switch (directive)
        {
            case Directive.Resume:
                child.SendSystemMessage(new ResumeActor());
                break;
            case Directive.Restart:
                foreach (var target in Affected(supervisor, child)) target.SendSystemMessage(new RecreateActor(cause));
                break;
            case Directive.Stop:
                foreach (var target in Affected(supervisor, child)) ActorCell.StopChild(target);
                break;
            default:
                supervisor.Escalate(child, cause);
                break;
        }
    }

    /// <summary>Whether one more restart of <paramref name="child"/> is allowed now (counts it if so).</summary>
    private protected bool MayRestart(ActorCell supervisor, ActorCell child) =>
        supervisor.RestartStatisticsOf(child).RequestRestart(MaxNrOfRetries, WithinTimeRange, supervisor.System.Scheduler.Now);

    private protected static void Log(ActorCell supervisor, ActorCell child, Exception cause, Directive directive)
    {
        if (directive == Directive.Resume) Actors.Log.ActorResumed(supervisor.System.Log, child.Path.ToString(), cause);
        else if (directive != Directive.Escalate) Actors.Log.ActorFailed(supervisor.System.Log, child.Path.ToString(), directive, cause);
    }
}

/// <summary>Applies the directive to the failed child only.</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    /// <summary>A strategy with <paramref name="maxNrOfRetries"/> restarts per child within <paramref name="withinTimeRange"/> (null: ever).</summary>
    public OneForOneStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
        : base(maxNrOfRetries, withinTimeRange, decider) { }

    /// <summary>A strategy with unlimited restarts.</summary>
    public OneForOneStrategy(Func<Exception, Directive> decider) : base(-1, null, decider) { }

    private protected override IEnumerable<ActorCell> Affected(ActorCell supervisor, ActorCell failed) => [failed];
}

/// <summary>Applies a restart or stop to all children of the supervisor (a resume only to the failed one).</summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    /// <summary>A strategy with <paramref name="maxNrOfRetries"/> restarts within <paramref name="withinTimeRange"/> (null: ever).</summary>
    public AllForOneStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
        : base(maxNrOfRetries, withinTimeRange, decider) { }

    /// <summary>A strategy with unlimited restarts.</summary>
    public AllForOneStrategy(Func<Exception, Directive> decider) : base(-1, null, decider) { }

    private protected override IEnumerable<ActorCell> Affected(ActorCell supervisor, ActorCell failed) => supervisor.ChildCells();
}

/// <summary>Restart bookkeeping for one child (touched by its supervisor only).</summary>
internal sealed class RestartStatistics
{
    private int count;
    private DateTimeOffset? windowStart;

    public bool RequestRestart(int maxNrOfRetries, TimeSpan? window, DateTimeOffset now)
    {
        if (maxNrOfRetries == 0) return false;
        if (window is null)
        {
            if (maxNrOfRetries < 0) return true;
            return ++count <= maxNrOfRetries;
        }
        var allowed = maxNrOfRetries < 0 ? 1 : maxNrOfRetries;
        if (windowStart is { } start && now - start <= window.Value)
        {
            count++;
        }
        else
        {
            windowStart = now;
            count = 1;
        }
        return count <= allowed;
    }
}
