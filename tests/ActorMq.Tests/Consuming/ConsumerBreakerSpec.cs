using ActorMq.Tests.Shared;
using System.Collections.Concurrent;
using Akka.Configuration;
using Akka.TestKit;
using ActorMq.Consuming;
using ActorMq.Settings;
using Xunit;

namespace ActorMq.Tests.Consuming;

/// <summary>The consumer's breaker on Akka's CircuitBreaker, in virtual time (Akka's TestScheduler): no broker, no sleeping.</summary>
public sealed class ConsumerBreakerSpec : ActorMqTestKit
{
    private static readonly CircuitBreakerSettings Settings = new(
        Enabled: true, MaxFailures: 3, Within: TimeSpan.FromSeconds(10), CallTimeout: TimeSpan.FromSeconds(2),
        ResetTimeout: TimeSpan.FromSeconds(5), MaxResetTimeout: TimeSpan.FromSeconds(15), ExponentialBackoffFactor: 2.0,
        MaxHold: TimeSpan.FromMinutes(20));

    private readonly TestScheduler _scheduler;
    private readonly ConcurrentQueue<BreakerState> _changes = new();

    public ConsumerBreakerSpec() : base(ConfigurationFactory.ParseString("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"")) =>
        _scheduler = (TestScheduler)Sys.Scheduler;

    private ConsumerBreaker Create() => new(Settings, _scheduler, _changes.Enqueue);

    private async Task ExpectStateAsync(ConsumerBreaker breaker, BreakerState state) =>
        await AwaitAssertAsync(() => Assert.Equal(state, breaker.State), TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Max_failures_each_within_the_window_open_it_and_report_the_change()
    {
        var breaker = Create();
        breaker.Failed();
        _scheduler.Advance(TimeSpan.FromSeconds(9));
        breaker.Failed();
        Assert.Equal(BreakerState.Closed, breaker.State);
        _scheduler.Advance(TimeSpan.FromSeconds(9));
        breaker.Failed();

        Assert.Equal(BreakerState.Open, breaker.State);
        await AwaitConditionAsync(() => _changes.Contains(BreakerState.Open), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Failures_further_apart_than_within_and_a_success_between_them_start_the_count_again()
    {
        var breaker = Create();
        breaker.Failed();
        breaker.Failed();
        _scheduler.Advance(TimeSpan.FromSeconds(11)); // older than `within`
        breaker.Failed();
        breaker.Failed();
        Assert.Equal(BreakerState.Closed, breaker.State);
        breaker.Succeeded(TimeSpan.FromMilliseconds(5));
        breaker.Failed();
        breaker.Failed();
        Assert.Equal(BreakerState.Closed, breaker.State);
        Assert.Equal(2, breaker.FailureCount);
    }

    [Fact]
    public void A_success_slower_than_call_timeout_counts_as_a_failure()
    {
        var breaker = Create();
        breaker.Succeeded(TimeSpan.FromSeconds(3));
        breaker.Succeeded(TimeSpan.FromSeconds(3));
        Assert.Equal(BreakerState.Closed, breaker.State);
        breaker.Succeeded(TimeSpan.FromSeconds(3));
        Assert.Equal(BreakerState.Open, breaker.State);
    }

    [Fact]
    public async Task Trip_opens_at_once_and_after_reset_timeout_one_probe_may_close_it()
    {
        var breaker = Create();
        breaker.Trip();
        Assert.Equal(BreakerState.Open, breaker.State);

        _scheduler.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(BreakerState.Open, breaker.State);
        _scheduler.Advance(TimeSpan.FromSeconds(1));
        await ExpectStateAsync(breaker, BreakerState.HalfOpen);

        breaker.Succeeded(TimeSpan.FromMilliseconds(10));
        Assert.Equal(BreakerState.Closed, breaker.State);
        // Akka's breaker notifies listeners asynchronously: the two reports may arrive in either order.
        await AwaitConditionAsync(() => _changes.Contains(BreakerState.HalfOpen) && _changes.Contains(BreakerState.Closed), TimeSpan.FromSeconds(30));
        Assert.Equal(0, breaker.FailureCount);
    }

    [Fact]
    public async Task A_failed_probe_opens_it_again_for_longer_below_max_reset_timeout_and_a_success_resets_that()
    {
        var breaker = Create();
        breaker.Trip();
        _scheduler.Advance(TimeSpan.FromSeconds(5));
        await ExpectStateAsync(breaker, BreakerState.HalfOpen);

        breaker.Failed(); // the probe failed: open for 10 s now
        Assert.Equal(BreakerState.Open, breaker.State);
        await AwaitAssertAsync(() => Assert.Equal(TimeSpan.FromSeconds(10), breaker.CurrentResetTimeout), TimeSpan.FromSeconds(10));
        _scheduler.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(BreakerState.Open, breaker.State);
        _scheduler.Advance(TimeSpan.FromSeconds(1));
        await ExpectStateAsync(breaker, BreakerState.HalfOpen);

        breaker.Trip(); // the next probe said the downstream is still unavailable: 20 s would pass max-reset-timeout, so 10 s again
        await AwaitAssertAsync(() => Assert.Equal(TimeSpan.FromSeconds(10), breaker.CurrentResetTimeout), TimeSpan.FromSeconds(10));
        _scheduler.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(BreakerState.Open, breaker.State);
        _scheduler.Advance(TimeSpan.FromSeconds(1));
        await ExpectStateAsync(breaker, BreakerState.HalfOpen);

        breaker.Succeeded(TimeSpan.FromMilliseconds(10));
        Assert.Equal(BreakerState.Closed, breaker.State);
        breaker.Trip();
        await AwaitAssertAsync(() => Assert.Equal(TimeSpan.FromSeconds(5), breaker.CurrentResetTimeout), TimeSpan.FromSeconds(10));
        _scheduler.Advance(TimeSpan.FromSeconds(5));
        await ExpectStateAsync(breaker, BreakerState.HalfOpen);
    }
}
