using ActorMq.Retry;
using ActorMq.Settings;
using ActorMq.Topology;
using Xunit;

namespace ActorMq.Tests.Retry;

public sealed class RetryPolicySpec
{
    private static readonly TopologyNames Names = new("{queue}.retry.{delay}", "{exchange}.delay.{delay}", "{exchange}.{group}");
    private static readonly TimeSpan S5 = TimeSpan.FromSeconds(5), S30 = TimeSpan.FromSeconds(30), M5 = TimeSpan.FromMinutes(5);

    private static RetryPolicy Policy(int maxAttempts, TimeSpan[] delays, params string[] permanent) =>
        new("orders", new ConsumerRetrySettings(delays, maxAttempts, permanent), Names);

    private sealed class OrderRejectedException(string message) : InvalidOperationException(message);

    [Fact]
    public void RetryPolicy_must_walk_the_tiers_then_dead_store_after_max_attempts()
    {
        var policy = Policy(4, [S5, S30, M5]);
        var failure = new TimeoutException("db");
        Assert.Equal(new RetryDecision.RetryIn("orders.retry.5s", S5, 1), policy.Decide(0, failure));
        Assert.Equal(new RetryDecision.RetryIn("orders.retry.30s", S30, 2), policy.Decide(1, failure));
        Assert.Equal(new RetryDecision.RetryIn("orders.retry.5m", M5, 3), policy.Decide(2, failure));
        var dead = Assert.IsType<RetryDecision.DeadStore>(policy.Decide(3, failure));
        Assert.Equal(4, dead.Attempts);
        Assert.Contains("max-attempts = 4", dead.Reason);
    }

    [Fact]
    public void RetryPolicy_must_dead_store_a_saturated_attempt_count_instead_of_wrapping()
    {
        var dead = Assert.IsType<RetryDecision.DeadStore>(Policy(4, [S5]).Decide(int.MaxValue, new TimeoutException("db")));
        Assert.Equal(int.MaxValue, dead.Attempts);
        Assert.IsType<RetryDecision.DeadStore>(Policy(1_000_000, [S5]).Decide(int.MaxValue - 1, new TimeoutException("db")));
    }

    [Fact]
    public void RetryPolicy_must_repeat_the_last_delay()
    {
        var policy = Policy(6, [S5, S30]);
        var tiers = Enumerable.Range(0, 5).Select(n => policy.Decide(n, new Exception())).ToList();
        Assert.Equal(["orders.retry.5s", "orders.retry.30s", "orders.retry.30s", "orders.retry.30s", "orders.retry.30s"],
            tiers.Select(t => Assert.IsType<RetryDecision.RetryIn>(t).TierQueue));
        Assert.IsType<RetryDecision.DeadStore>(policy.Decide(5, new Exception()));
        Assert.Equal([S5, S30], policy.TierDelays);
    }

    [Fact]
    public void RetryPolicy_with_one_attempt_must_never_retry_and_needs_no_tiers()
    {
        var policy = Policy(1, [S5]);
        Assert.IsType<RetryDecision.DeadStore>(policy.Decide(0, new Exception()));
        Assert.Empty(policy.TierDelays);
    }

    [Fact]
    public void RetryPolicy_must_use_only_the_tiers_its_attempts_reach()
    {
        Assert.Equal([S5], Policy(2, [S5, S30, M5]).TierDelays);
        Assert.Equal([S5], Policy(3, [S5, S5, S5]).TierDelays);
    }

    [Fact]
    public void RetryPolicy_must_skip_the_tiers_for_a_permanent_failure()
    {
        var policy = Policy(4, [S5], "System.FormatException", "OrderRejectedException");
        Assert.IsType<RetryDecision.DeadStore>(policy.Decide(0, new DeserializationException("application/json", typeof(string), "{", "bad json")));
        Assert.IsType<RetryDecision.DeadStore>(policy.Decide(0, new PermanentFailureException("no such customer")));
        Assert.IsType<RetryDecision.DeadStore>(policy.Decide(0, new FormatException()));
        Assert.IsType<RetryDecision.DeadStore>(policy.Decide(0, new OrderRejectedException("rejected")));
        Assert.IsType<RetryDecision.DeadStore>(policy.Decide(0, new AggregateException(new FormatException())));
        Assert.IsType<RetryDecision.DeadStore>(policy.Decide(0, new TimeoutException(), markedPermanent: true));
        var dead = Assert.IsType<RetryDecision.DeadStore>(policy.Decide(1, new FormatException()));
        Assert.Equal(2, dead.Attempts);
        Assert.Contains("System.FormatException", dead.Reason);
        Assert.IsType<RetryDecision.RetryIn>(policy.Decide(0, new TimeoutException()));
    }

    [Fact]
    public void RetryPolicy_must_match_configured_base_types()
    {
        var policy = Policy(4, [S5], "System.ArgumentException");
        Assert.True(policy.IsPermanent(new ArgumentNullException("x")));
        Assert.False(policy.IsPermanent(new InvalidOperationException()));
    }

    [Fact]
    public void RetryPolicy_must_refuse_an_unusable_configuration()
    {
        Assert.Throws<ArgumentException>(() => Policy(4, []));
        Assert.Throws<ArgumentException>(() => Policy(0, [S5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Policy(4, [S5]).Decide(-1, new Exception()));
    }
}
