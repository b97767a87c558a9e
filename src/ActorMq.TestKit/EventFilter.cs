using ActorMq.Actors;
using Microsoft.Extensions.Logging;

namespace ActorMq.TestKit;

/// <summary>
/// Assertions that a block of test code causes certain log entries or dead letters:
/// <c>await EventFilter.Error&lt;MyException&gt;().ExpectOneAsync(() =&gt; ...)</c>.
/// </summary>
public sealed class EventFilterFactory
{
    private readonly TestKit testKit;

    internal EventFilterFactory(TestKit testKit) => this.testKit = testKit;

    /// <summary>Errors (or worse) logged with an exception of type <typeparamref name="TException"/> (or a subtype), optionally whose message contains <paramref name="contains"/>.</summary>
    public LogFilter Error<TException>(string? contains = null) where TException : Exception =>
        new(testKit, e => e.Level >= LogLevel.Error && e.Exception is TException && Contains(e, contains), $"error with {typeof(TException).Name}");

    /// <summary>Errors (or worse) whose message contains <paramref name="contains"/> (any error if null).</summary>
    public LogFilter Error(string? contains = null) =>
        new(testKit, e => e.Level >= LogLevel.Error && Contains(e, contains), $"error containing '{contains}'");

    /// <summary>Warnings whose message contains <paramref name="contains"/> (any warning if null).</summary>
    public LogFilter Warning(string? contains = null) =>
        new(testKit, e => e.Level == LogLevel.Warning && Contains(e, contains), $"warning containing '{contains}'");

    /// <summary>Dead letters carrying a <typeparamref name="T"/> that satisfies <paramref name="predicate"/> (all if null).</summary>
    public DeadLetterFilter DeadLetter<T>(Predicate<T>? predicate = null) =>
        new(testKit, d => d.Message is T typed && (predicate is null || predicate(typed)), $"dead letter of {typeof(T).Name}");

    private static bool Contains(LogEntry entry, string? text) =>
        text is null || entry.Message.Contains(text, StringComparison.Ordinal) || (entry.Exception?.Message.Contains(text, StringComparison.Ordinal) ?? false);
}

/// <summary>Expects events (log entries, dead letters) matching a filter while a block of test code runs.</summary>
public abstract class EventFilterBase
{
    private protected EventFilterBase(TestKit testKit, string description)
    {
        TestKit = testKit;
        Description = description;
    }

    private protected TestKit TestKit { get; }

    private protected string Description { get; }

    /// <summary>Runs <paramref name="action"/> and expects exactly one matching event.</summary>
    public Task ExpectOneAsync(Func<Task> action, TimeSpan? timeout = null) => ExpectAsync(1, action, timeout);

    /// <summary>Runs <paramref name="action"/> and expects exactly one matching event.</summary>
    public Task ExpectOneAsync(Action action, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        return ExpectAsync(1, () =>
        {
            action();
            return Task.CompletedTask;
        }, timeout);
    }

    /// <summary>Runs <paramref name="action"/> and expects exactly <paramref name="count"/> matching events (waiting for them up to <paramref name="timeout"/>).</summary>
    public abstract Task ExpectAsync(int count, Func<Task> action, TimeSpan? timeout = null);
}

/// <summary>Expects log entries matching a filter while a block runs.</summary>
public sealed class LogFilter : EventFilterBase
{
    private readonly Func<LogEntry, bool> matches;

    internal LogFilter(TestKit testKit, Func<LogEntry, bool> matches, string description)
        : base(testKit, description) => this.matches = matches;

    /// <inheritdoc />
    public override async Task ExpectAsync(int count, Func<Task> action, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        var logs = TestKit.Logs;
        var start = logs.Count;
        await action().ConfigureAwait(false);
        int Matching() => logs.Since(start).Count(matches);
        await TestKit.AwaitConditionAsync(() => Matching() >= count, timeout, $"expected {count} × {Description}").ConfigureAwait(false);
        var seen = Matching();
        if (seen != count) throw new TestKitException($"Expected {count} × {Description}, saw {seen}");
    }
}

/// <summary>Expects dead letters matching a filter while a block runs (other dead letters are ignored).</summary>
public sealed class DeadLetterFilter : EventFilterBase
{
    private readonly Func<DeadLetter, bool> matches;

    internal DeadLetterFilter(TestKit testKit, Func<DeadLetter, bool> matches, string description)
        : base(testKit, description) => this.matches = matches;

    /// <inheritdoc />
    public override async Task ExpectAsync(int count, Func<Task> action, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        var probe = TestKit.CreateTestProbe();
        TestKit.Sys.EventStream.Subscribe(probe.Ref, typeof(DeadLetter));
        try
        {
            await action().ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                await probe.FishForMessageAsync<DeadLetter>(d => matches(d), timeout).ConfigureAwait(false);
            }
            while (true)
            {
                try
                {
                    var extra = await probe.FishForMessageAsync<DeadLetter>(d => matches(d), TestKit.TestKitSettings.ExpectNoMessageDefault / TestKit.TestKitSettings.TimeFactor).ConfigureAwait(false);
                    throw new TestKitException($"Expected {count} × {Description}, got another: {extra}");
                }
                catch (TestKitException e) when (e.Message.StartsWith("Timeout", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        finally
        {
            TestKit.Sys.EventStream.Unsubscribe(probe.Ref);
            TestKit.Sys.Stop(probe.Ref);
        }
    }
}
