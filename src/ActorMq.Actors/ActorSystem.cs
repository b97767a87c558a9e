using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using ActorMq.Hocon;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorMq.Actors;

/// <summary>
/// A tree of actors with its configuration, scheduler, event stream and dead letters. Create one
/// per application (or per test) with <see cref="Create(string, Config?)"/>; stop it with
/// <see cref="Terminate"/> or <c>await using</c>.
/// </summary>
public sealed partial class ActorSystem : IAsyncDisposable
{
    private static readonly Lazy<Config> Reference = new(ConfigFactory.DefaultReference);

    private readonly ActorCell userGuardian;
    private readonly ActorCell systemGuardian;
    private readonly DeadLetterLogLimiter deadLetterLog;
    private readonly ConcurrentDictionary<Type, ILogger> loggers = new();
    private readonly TaskCompletionSource terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool terminating;

    private ActorSystem(string name, Config config, ActorSystemOptions options)
    {
        Name = name;
        Config = config;
        Settings = ActorSystemSettings.Create(config);
        LoggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        Log = LoggerFactory.CreateLogger("ActorMq.Actors.ActorSystem");
        Scheduler = options.Scheduler ?? new DefaultScheduler(Log);
        Dispatchers = new Dispatchers(config);
        Mailboxes = new Mailboxes(config);
        deadLetterLog = new DeadLetterLogLimiter(Settings);
        var root = ActorPath.CreateRoot(name);
        DeadLetters = new DeadLetterActorRef(this, root / "deadLetters");
        var defaultDispatcher = Dispatchers.Lookup(Props.DefaultDispatcherId);
        var guardianProps = Props.FromFactory(() => new GuardianActor());
        userGuardian = ActorCell.CreateGuardian(this, guardianProps, root / "user", defaultDispatcher);
        systemGuardian = ActorCell.CreateGuardian(this, guardianProps, root / "system", defaultDispatcher);
        CoordinatedShutdown = new CoordinatedShutdown(this, Settings.Shutdown);
    }

    /// <summary>The system's name (the first element of its actors' paths).</summary>
    public string Name { get; }

    /// <summary>The resolved configuration: what was given, over <c>reference.conf</c>.</summary>
    public Config Config { get; }

    /// <summary>The kernel settings read from <c>actormq.actors</c>.</summary>
    public ActorSystemSettings Settings { get; }

    /// <summary>The scheduler behind timers, receive timeouts and backoff.</summary>
    public IScheduler Scheduler { get; }

    /// <summary>The system's publish/subscribe bus.</summary>
    public EventStream EventStream { get; } = new();

    /// <summary>The ref whose messages are published as <see cref="DeadLetter"/>s.</summary>
    public IActorRef DeadLetters { get; }

    /// <summary>The system's own logger (category <c>ActorMq.Actors.ActorSystem</c>).</summary>
    public ILogger Log { get; }

    /// <summary>The logger factory given in <see cref="ActorSystemOptions"/> (a null factory if none).</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The ordered shutdown phases library code hooks into.</summary>
    public CoordinatedShutdown CoordinatedShutdown { get; }

    /// <summary>Completes once the system has terminated (all actors stopped).</summary>
    public Task WhenTerminated => terminated.Task;

    internal Dispatchers Dispatchers { get; }

    internal Mailboxes Mailboxes { get; }

    internal bool IsTerminating => terminating;

    /// <summary>Creates a system named <paramref name="name"/> with <paramref name="config"/> layered over the reference configuration.</summary>
    public static ActorSystem Create(string name, Config? config = null) => Create(name, config, new ActorSystemOptions());

    /// <summary>Creates a system with a logger factory and/or scheduler from <paramref name="options"/>.</summary>
    public static ActorSystem Create(string name, Config? config, ActorSystemOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        if (!SystemName().IsMatch(name))
            throw new ArgumentException($"Actor system name '{name}' is invalid: use letters, digits, '-' and '_', starting with a letter or digit", nameof(name));
        var resolved = (config ?? ConfigFactory.Empty).WithFallback(Reference.Value).Resolve();
        return new ActorSystem(name, resolved, options);
    }

    /// <summary>Creates a top-level actor (a child of <c>/user</c>).</summary>
    public IActorRef ActorOf(Props props, string? name = null) => userGuardian.ActorOf(props, name);

    /// <summary>Stops <paramref name="actor"/> (its children first).</summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is LocalActorRef local) ActorCell.StopChild(local.Cell);
    }

    /// <summary>Runs the coordinated shutdown (all phases, then stops every actor top-down); completes when terminated.</summary>
    public Task Terminate() => CoordinatedShutdown.RunAsync("ActorSystem.Terminate");

    /// <summary>Same as <see cref="Terminate"/>.</summary>
    public async ValueTask DisposeAsync() => await Terminate().ConfigureAwait(false);

    /// <inheritdoc />
    public override string ToString() => $"ActorSystem({Name})";

    /// <summary>Creates an actor under <c>/system</c> (kernel, library and TestKit actors).</summary>
    internal IActorRef SystemActorOf(Props props, string? name = null) => systemGuardian.ActorOf(props, name);

    internal ILogger LoggerFor(Type type) => loggers.GetOrAdd(type, static (t, factory) => factory.CreateLogger(t.FullName ?? t.Name), LoggerFactory);

    internal void PublishDeadLetter(object message, IActorRef? sender, IActorRef recipient)
    {
        if (message is TimerScheduler.TimerFired or ReceiveTimeoutTick or WatchedActorTerminated or DeadLetter) return;
        EventStream.Publish(new DeadLetter(message, sender, recipient));
        if (terminating && !Settings.LogDeadLettersDuringShutdown) return;
        if (!deadLetterLog.ShouldLog(DateTimeOffset.UtcNow, out var suppressed)) return;
        if (suppressed > 0) Actors.Log.DeadLettersSuppressed(Log, suppressed);
        Actors.Log.DeadLetter(Log, message.GetType().Name, sender?.Path.ToString() ?? "no sender", recipient.Path.ToString());
    }

    /// <summary>The last stage of coordinated shutdown: user actors top-down, then system actors.</summary>
    internal async Task StopActorsAsync()
    {
        terminating = true;
        var timeout = Settings.Shutdown.ActorStopTimeout;
        foreach (var guardian in new[] { userGuardian, systemGuardian })
        {
            ActorCell.StopChild(guardian);
            try
            {
                await guardian.WhenStopped.WaitAsync(timeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Actors.Log.ActorStopTimedOut(Log, Name, timeout.TotalMilliseconds);
            }
        }
        Dispatchers.Shutdown();
        Actors.Log.SystemTerminated(Log, Name);
        terminated.TrySetResult();
    }

    internal void MarkTerminating() => terminating = true;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex SystemName();
}
