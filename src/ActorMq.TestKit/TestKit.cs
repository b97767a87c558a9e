using ActorMq.Actors;
using ActorMq.Hocon;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.TestKit;

/// <summary>
/// Base class for xunit actor tests. Each test-class instance (xunit makes one per test) owns an
/// <see cref="ActorSystem"/>, terminated when the test ends. Logs go to the test output and to
/// <see cref="Logs"/> (for <see cref="EventFilter"/>).
/// </summary>
public abstract class TestKit : TestKitBase, IAsyncLifetime, IAsyncDisposable
{
    /// <summary>A test system configured with <paramref name="config"/> (HOCON text) over the reference configuration.</summary>
    protected TestKit(string? config = null, ITestOutputHelper? output = null)
        : this(config is null ? null : ConfigFactory.ParseString(config), null, output)
    {
    }

    /// <summary>A test system with <paramref name="config"/> and <paramref name="options"/> (e.g. a <see cref="TestScheduler"/>).</summary>
    protected TestKit(Config? config, ActorSystemOptions? options, ITestOutputHelper? output = null)
        : this(Start(config, options, output))
    {
    }

    private TestKit(Startup startup)
        : base(startup.System, startup.Settings, "testActor")
    {
        Logs = startup.Logs;
        EventFilter = new EventFilterFactory(this);
    }

    /// <summary>Everything the system logged.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>Assertions on logged errors and dead letters.</summary>
    public EventFilterFactory EventFilter { get; }

    /// <summary>Nothing to do: the system starts in the constructor.</summary>
    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Terminates the system (idempotent).</summary>
    async Task IAsyncLifetime.DisposeAsync() => await Sys.Terminate().ConfigureAwait(false);

    /// <summary>Terminates the system (idempotent).</summary>
    async ValueTask IAsyncDisposable.DisposeAsync() => await Sys.Terminate().ConfigureAwait(false);

    private static Startup Start(Config? config, ActorSystemOptions? options, ITestOutputHelper? output)
    {
        var logs = new CapturedLogs(output, options?.LoggerFactory);
        var system = ActorSystem.Create("test", config, new ActorSystemOptions { LoggerFactory = logs, Scheduler = options?.Scheduler });
        return new Startup(system, TestKitSettings.Create(system.Config), logs);
    }

    private sealed record Startup(ActorSystem System, TestKitSettings Settings, CapturedLogs Logs);
}
