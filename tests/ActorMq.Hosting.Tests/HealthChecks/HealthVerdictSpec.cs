using ActorMq.Connection;
using ActorMq.Consuming;
using ActorMq.Hosting.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit;

namespace ActorMq.Hosting.Tests.HealthChecks;

/// <summary>The checks' verdicts from the states ActorMq reports (the plain logic behind the checks, no broker).</summary>
public sealed class HealthVerdictSpec
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static ConsumerStatus Consumer(string name, bool consuming = true, BreakerState breaker = BreakerState.Closed, int waiting = 0) =>
        new(name, name, consuming, InFlight: 0, Waiting: waiting, breaker);

    [Fact]
    public void Consumers_must_be_healthy_when_all_consume_with_closed_breakers()
    {
        var result = ConsumersHealth.Evaluate([Consumer("orders"), Consumer("invoices")], LinkState.Connected);
        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("Closed", result.Data["orders.breaker"]);
    }

    [Fact]
    public void A_consumer_whose_breaker_is_open_must_make_the_check_degraded_naming_it()
    {
        var result = ConsumersHealth.Evaluate([Consumer("orders", consuming: false, BreakerState.Open, waiting: 3), Consumer("invoices")], LinkState.Connected);
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("circuit breaker open", result.Description);
        Assert.Contains("orders (queue orders)", result.Description);
        Assert.Contains("holding 3", result.Description);
        Assert.DoesNotContain("invoices", result.Description);
        Assert.DoesNotContain("restarting", result.Description); // paused by its breaker, not a failure of its own
        Assert.Equal("Open", result.Data["orders.breaker"]);
    }

    [Fact]
    public void A_consumer_whose_declarations_the_broker_refuses_must_make_the_check_degraded_with_the_reason()
    {
        var refused = Consumer("orders", consuming: false) with
        {
            Problem = "declaring queue 'orders' conflicts with the existing queue: argument 'x-queue-type' is classic on the broker but ActorMq declares quorum (refused 2 time(s); declaring again with backoff)",
        };
        var result = ConsumersHealth.Evaluate([refused, Consumer("invoices")], LinkState.Connected);
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("declarations refused: orders (queue orders)", result.Description);
        Assert.Contains("x-queue-type", result.Description);
        Assert.DoesNotContain("restarting", result.Description);
        Assert.Contains("x-queue-type", (string)result.Data["orders.problem"]);
    }

    [Fact]
    public void A_consumer_whose_breaker_is_half_open_must_make_the_check_degraded_saying_so()
    {
        var result = ConsumersHealth.Evaluate([Consumer("orders", consuming: true, BreakerState.HalfOpen)], LinkState.Connected);
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("circuit breaker half-open", result.Description);
    }

    [Fact]
    public void A_consumer_not_consuming_must_say_whether_the_link_is_down()
    {
        var down = ConsumersHealth.Evaluate([Consumer("orders", consuming: false)], LinkState.Connecting);
        Assert.Equal(HealthStatus.Degraded, down.Status);
        Assert.Contains("waiting for the broker link (Connecting): orders (queue orders)", down.Description);
        var up = ConsumersHealth.Evaluate([Consumer("orders", consuming: false)], LinkState.Connected);
        Assert.Contains("restarting while the broker link is up", up.Description);
    }

    [Fact]
    public void The_link_must_be_degraded_while_reconnecting_then_unhealthy_after_the_limit()
    {
        var link = new LinkStateChanged(LinkState.Connecting, "amqp://rabbit:5672/", "connection refused", Now);
        Assert.Equal(HealthStatus.Degraded, ConnectionHealth.Evaluate(link, Now, Now.AddSeconds(5), TimeSpan.FromSeconds(30)).Status);
        var late = ConnectionHealth.Evaluate(link, Now, Now.AddSeconds(31), TimeSpan.FromSeconds(30));
        Assert.Equal(HealthStatus.Unhealthy, late.Status);
        Assert.Contains("connection refused", late.Description);
        Assert.Contains("unhealthy-after", late.Description);
        Assert.Equal(HealthStatus.Degraded, ConnectionHealth.Evaluate(link, Now, Now.AddHours(1), unhealthyAfter: null).Status);
    }

    [Fact]
    public void A_failed_link_must_be_unhealthy_with_the_reason_and_a_blocked_one_degraded()
    {
        var failed = ConnectionHealth.Evaluate(new LinkStateChanged(LinkState.Failed, null, "ACCESS_REFUSED - login refused for user 'app'", Now), null, Now, null);
        Assert.Equal(HealthStatus.Unhealthy, failed.Status);
        Assert.Contains("ACCESS_REFUSED - login refused for user 'app'", failed.Description);
        Assert.Equal(HealthStatus.Degraded, ConnectionHealth.Evaluate(new LinkStateChanged(LinkState.Blocked, null, "memory alarm", Now), null, Now, TimeSpan.FromSeconds(1)).Status);
        Assert.Equal(HealthStatus.Healthy, ConnectionHealth.Evaluate(new LinkStateChanged(LinkState.Connected, null, null, Now), null, Now, TimeSpan.FromSeconds(1)).Status);
    }
}
