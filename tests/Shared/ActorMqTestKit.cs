using Akka.Actor;
using Akka.Configuration;
using Xunit.Abstractions;

namespace ActorMq.Tests.Shared;

/// <summary>
/// Akka.TestKit's xunit base with what ActorMq's specs share: the system's log lines captured in <see cref="Logs"/>,
/// and <c>AwaitConditionAsync</c> for plain (non-async) conditions.
/// </summary>
public abstract class ActorMqTestKit : Akka.TestKit.Xunit2.TestKit
{
    protected ActorMqTestKit(Config? config = null, ITestOutputHelper? output = null)
        : base(config ?? Config.Empty, "test", output)
    {
        Logs = new CapturedLogs();
        Logs.Capture(Sys);
    }

    /// <summary>Everything the actor system logged (ActorMq's actors log through Akka).</summary>
    protected CapturedLogs Logs { get; }

    /// <summary>How often the conditions below are polled (Akka's own default is a tenth of the wait).</summary>
    protected static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits until <paramref name="condition"/> holds, polling every 50 ms, within <paramref name="max"/>.</summary>
    protected Task AwaitConditionAsync(Func<bool> condition, TimeSpan? max = null, string? message = null) =>
        AwaitConditionAsync(() => Task.FromResult(condition()), max, PollInterval, message);

    /// <inheritdoc cref="AwaitConditionAsync(Func{bool}, TimeSpan?, string?)"/>
    protected Task AwaitConditionAsync(Func<Task<bool>> condition, TimeSpan? max = null, string? message = null) =>
        AwaitConditionAsync(condition, max, PollInterval, message);
}
