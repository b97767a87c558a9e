namespace ActorMq.Actors.Tests.TestKit;

public sealed class TestSchedulerSpec
{
    [Fact]
    public void Advance_must_run_due_actions_in_due_time_order_and_nothing_early()
    {
        var scheduler = new TestScheduler();
        var start = scheduler.Now;
        var ran = new List<string>();
        scheduler.ScheduleOnce(TimeSpan.FromSeconds(3), () => ran.Add("3s"));
        scheduler.ScheduleOnce(TimeSpan.FromSeconds(1), () => ran.Add("1s"));
        scheduler.ScheduleOnce(TimeSpan.FromSeconds(1), () => ran.Add("1s second"));
        scheduler.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Empty(ran);
        scheduler.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(["1s", "1s second"], ran);
        scheduler.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["1s", "1s second", "3s"], ran);
        Assert.Equal(start + TimeSpan.FromSeconds(3.999), scheduler.Now);
    }

    [Fact]
    public void Actions_scheduled_while_advancing_must_run_if_due_within_the_same_advance()
    {
        var scheduler = new TestScheduler();
        var times = new List<DateTimeOffset>();
        scheduler.ScheduleOnce(TimeSpan.FromSeconds(1), () =>
        {
            times.Add(scheduler.Now);
            scheduler.ScheduleOnce(TimeSpan.FromSeconds(1), () => times.Add(scheduler.Now));
        });
        var start = scheduler.Now;
        scheduler.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([start.AddSeconds(1), start.AddSeconds(2)], times);
    }

    [Fact]
    public void Cancelled_actions_must_not_run()
    {
        var scheduler = new TestScheduler();
        var ran = false;
        var scheduled = scheduler.ScheduleOnce(TimeSpan.FromSeconds(1), () => ran = true);
        scheduled.Cancel();
        Assert.Equal(0, scheduler.PendingCount);
        scheduler.Advance(TimeSpan.FromSeconds(2));
        Assert.False(ran);
        Assert.True(scheduled.IsCancellationRequested);
    }

    [Fact]
    public void Repeated_tells_must_fire_once_per_interval()
    {
        var scheduler = new TestScheduler();
        var count = 0;
        var repeated = scheduler.ScheduleTellRepeatedly(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), new CountingRef(() => count++), "tick", null);
        scheduler.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(4, count); // at 1, 3, 5, 7
        repeated.Cancel();
        scheduler.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(4, count);
    }

    private sealed class CountingRef(Action onTell) : IActorRef
    {
        public ActorPath Path => throw new NotSupportedException();

        public void Tell(object message, IActorRef? sender = null) => onTell();
    }
}
