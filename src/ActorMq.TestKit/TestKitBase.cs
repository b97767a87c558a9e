using System.Diagnostics;
using System.Threading.Channels;
using ActorMq.Actors;

namespace ActorMq.TestKit;

/// <summary>
/// The expectations shared by <see cref="TestKit"/> and <see cref="TestProbe"/>: an actor
/// (<see cref="TestActor"/>) queues every message it receives, and the <c>Expect*</c> methods take
/// them off the queue in order. Timeouts default to <c>actormq.test</c> settings and every
/// timeout is dilated by <c>actormq.test.timefactor</c>.
/// </summary>
public abstract class TestKitBase
{
    private static readonly AsyncLocal<DateTimeOffset?> WithinDeadline = new();
    private readonly Channel<ReceivedMessage> queue = Channel.CreateUnbounded<ReceivedMessage>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Creates the test actor in <paramref name="system"/> under <c>/system</c>.</summary>
    private protected TestKitBase(ActorSystem system, TestKitSettings settings, string actorName)
    {
        Sys = system;
        TestKitSettings = settings;
        TestActor = system.SystemActorOf(Props.FromFactory(() => new TestActor(queue.Writer)), actorName);
    }

    /// <summary>The actor system under test.</summary>
    public ActorSystem Sys { get; }

    /// <summary>The timeouts in force.</summary>
    public TestKitSettings TestKitSettings { get; }

    /// <summary>The actor whose received messages the expectations read (pass it as sender or recipient).</summary>
    public IActorRef TestActor { get; }

    /// <summary>The sender of the last message taken off the queue.</summary>
    public IActorRef LastSender { get; private set; } = ActorRefs.Nobody;

    /// <summary>The last message taken off the queue.</summary>
    public object? LastMessage { get; private set; }

    /// <summary>Time left in the enclosing <see cref="WithinAsync(TimeSpan, Func{Task})"/> block, or the default expectation timeout.</summary>
    public TimeSpan RemainingOrDefault => WithinDeadline.Value is { } deadline ? Max(deadline - DateTimeOffset.UtcNow, TimeSpan.Zero) : TestKitSettings.SingleExpectDefault;

    /// <summary><paramref name="duration"/> multiplied by the time factor.</summary>
    public TimeSpan Dilated(TimeSpan duration) => TestKitSettings.Dilated(duration);

    /// <summary>A new probe in the same system.</summary>
    public TestProbe CreateTestProbe(string? name = null) => new(Sys, TestKitSettings, name);

    /// <summary>Makes <see cref="TestActor"/> watch <paramref name="subject"/>: its <see cref="Terminated"/> arrives on the queue.</summary>
    public IActorRef Watch(IActorRef subject)
    {
        TestActor.Tell(new TestActor.WatchCommand(subject), ActorRefs.Nobody);
        return subject;
    }

    /// <summary>Stops watching <paramref name="subject"/>.</summary>
    public IActorRef Unwatch(IActorRef subject)
    {
        TestActor.Tell(new TestActor.UnwatchCommand(subject), ActorRefs.Nobody);
        return subject;
    }

    /// <summary>Expects the next message to be a <typeparamref name="T"/>, within <paramref name="timeout"/>.</summary>
    public Task<T> ExpectMsgAsync<T>(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        ExpectMsgAsync<T>(static _ => true, timeout, cancellationToken);

    /// <summary>Expects the next message to be a <typeparamref name="T"/> that satisfies <paramref name="isExpected"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(Predicate<T> isExpected, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(isExpected);
        var wait = Timeout(timeout);
        var received = await ReceiveOneAsync(wait, cancellationToken).ConfigureAwait(false)
            ?? throw new TestKitException($"Timeout ({wait.TotalMilliseconds:0} ms) waiting for a message of type {typeof(T).Name}");
        if (received is not T typed) throw new TestKitException($"Expected a message of type {typeof(T).Name}, got {Describe(received)}");
        if (!isExpected(typed)) throw new TestKitException($"The {typeof(T).Name} received does not satisfy the predicate: {Describe(received)}");
        return typed;
    }

    /// <summary>Expects the next message to equal <paramref name="expected"/>.</summary>
    public Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? timeout = null, CancellationToken cancellationToken = default) where T : notnull =>
        ExpectMsgAsync<T>(m => Equals(m, expected), timeout, cancellationToken);

    /// <summary>Expects no message for <paramref name="duration"/> (default <c>expect-no-message-default</c>).</summary>
    public async Task ExpectNoMsgAsync(TimeSpan? duration = null, CancellationToken cancellationToken = default)
    {
        var wait = duration is { } d ? Dilated(d) : TestKitSettings.ExpectNoMessageDefault;
        var received = await ReceiveOneAsync(wait, cancellationToken).ConfigureAwait(false);
        if (received is not null) throw new TestKitException($"Expected no message for {wait.TotalMilliseconds:0} ms, got {Describe(received)}");
    }

    /// <summary>Expects the <see cref="Terminated"/> of <paramref name="target"/> (watch it first with <see cref="Watch"/>).</summary>
    public Task<Terminated> ExpectTerminatedAsync(IActorRef target, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return ExpectMsgAsync<Terminated>(t => t.ActorRef.Equals(target), timeout, cancellationToken);
    }

    /// <summary>Receives the next <paramref name="count"/> messages, whatever they are, all within <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<object>> ReceiveNAsync(int count, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var wait = Timeout(timeout);
        var deadline = Stopwatch.StartNew();
        var messages = new List<object>(count);
        while (messages.Count < count)
        {
            var received = await ReceiveOneAsync(Max(wait - deadline.Elapsed, TimeSpan.Zero), cancellationToken).ConfigureAwait(false)
                ?? throw new TestKitException($"Timeout ({wait.TotalMilliseconds:0} ms) after {messages.Count} of {count} messages");
            messages.Add(received);
        }
        return messages;
    }

    /// <summary>Skips messages until one satisfies <paramref name="isMessage"/>, and returns it.</summary>
    public async Task<object> FishForMessageAsync(Predicate<object> isMessage, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(isMessage);
        var wait = Timeout(timeout);
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var received = await ReceiveOneAsync(Max(wait - elapsed.Elapsed, TimeSpan.Zero), cancellationToken).ConfigureAwait(false)
                ?? throw new TestKitException($"Timeout ({wait.TotalMilliseconds:0} ms) fishing for a matching message");
            if (isMessage(received)) return received;
        }
    }

    /// <summary>Skips messages until a <typeparamref name="T"/> satisfies <paramref name="isMessage"/>, and returns it.</summary>
    public async Task<T> FishForMessageAsync<T>(Predicate<T>? isMessage = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        (T)await FishForMessageAsync(m => m is T typed && (isMessage is null || isMessage(typed)), timeout, cancellationToken).ConfigureAwait(false);

    /// <summary>Runs <paramref name="action"/>, which must complete within <paramref name="max"/> (expectations inside default to the time left).</summary>
    public Task WithinAsync(TimeSpan max, Func<Task> action) => WithinAsync(TimeSpan.Zero, max, action);

    /// <summary>Runs <paramref name="action"/>, which must take between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public async Task WithinAsync(TimeSpan min, TimeSpan max, Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        await WithinAsync(min, max, async () =>
        {
            await action().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="action"/>, which must take between <paramref name="min"/> and <paramref name="max"/>, and returns its result.</summary>
    public async Task<T> WithinAsync<T>(TimeSpan min, TimeSpan max, Func<Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var dilatedMax = Dilated(max);
        var previous = WithinDeadline.Value;
        var deadline = DateTimeOffset.UtcNow + dilatedMax;
        WithinDeadline.Value = previous is { } outer && outer < deadline ? outer : deadline;
        var elapsed = Stopwatch.StartNew();
        try
        {
            var result = await action().ConfigureAwait(false);
            if (elapsed.Elapsed < min) throw new TestKitException($"Block finished in {elapsed.Elapsed.TotalMilliseconds:0} ms, before the minimum of {min.TotalMilliseconds:0} ms");
            if (elapsed.Elapsed > dilatedMax) throw new TestKitException($"Block took {elapsed.Elapsed.TotalMilliseconds:0} ms, more than the maximum of {dilatedMax.TotalMilliseconds:0} ms");
            return result;
        }
        finally
        {
            WithinDeadline.Value = previous;
        }
    }

    /// <summary>Retries <paramref name="assertion"/> until it stops throwing, for up to <paramref name="duration"/>; then rethrows its last failure.</summary>
    public Task AwaitAssertAsync(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        return AwaitAssertAsync(() =>
        {
            assertion();
            return Task.CompletedTask;
        }, duration, interval);
    }

    /// <summary>Retries the asynchronous <paramref name="assertion"/> until it stops throwing, for up to <paramref name="duration"/>.</summary>
    public async Task AwaitAssertAsync(Func<Task> assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var max = duration is { } d ? Dilated(d) : TestKitSettings.DefaultTimeout;
        var pause = interval ?? TimeSpan.FromMilliseconds(50);
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await assertion().ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (elapsed.Elapsed < max)
            {
                _ = e;
            }
            await Task.Delay(pause).ConfigureAwait(false);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it is true, for up to <paramref name="max"/>; fails with <paramref name="message"/> otherwise.</summary>
    public Task AwaitConditionAsync(Func<bool> condition, TimeSpan? max = null, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return AwaitConditionAsync(() => Task.FromResult(condition()), max, message);
    }

    /// <summary>Polls the asynchronous <paramref name="condition"/> until it is true, for up to <paramref name="max"/>.</summary>
    public async Task AwaitConditionAsync(Func<Task<bool>> condition, TimeSpan? max = null, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var wait = max is { } m ? Dilated(m) : TestKitSettings.DefaultTimeout;
        var elapsed = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (elapsed.Elapsed > wait) throw new TestKitException($"Condition not met within {wait.TotalMilliseconds:0} ms{(message is null ? "" : ": " + message)}");
            await Task.Delay(TimeSpan.FromMilliseconds(10)).ConfigureAwait(false);
        }
    }

    private TimeSpan Timeout(TimeSpan? requested) => requested is { } t ? Dilated(t) : RemainingOrDefault;

    /// <summary>The next message, or null if none arrived within <paramref name="wait"/>.</summary>
    private async Task<object?> ReceiveOneAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (!queue.Reader.TryRead(out var received))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(wait);
            try
            {
                received = await queue.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
        LastMessage = received.Message;
        LastSender = received.Sender;
        return received.Message;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Describe(object message) => $"{message.GetType().Name}: {message}";
}
