using ActorMq.Hocon;

namespace ActorMq.Actors.Tests;

public sealed class TimersSpec : ActorTestKit
{
    private readonly TestScheduler clock;

    public TimersSpec() : this(new TestScheduler())
    {
    }

    private TimersSpec(TestScheduler clock) : base((Config?)null, new ActorSystemOptions { Scheduler = clock }) => this.clock = clock;

    private sealed class Timed : ReceiveActor, IWithTimers
    {
        public Timed(IActorRef probe)
        {
            Receive<(string Key, TimeSpan Delay, bool Periodic)>(m =>
            {
                if (m.Periodic) Timers.StartPeriodicTimer(m.Key, $"tick {m.Key}", m.Delay);
                else Timers.StartSingleTimer(m.Key, $"tick {m.Key}", m.Delay);
                Sender.Tell("started");
            });
            Receive<string>(s => s.StartsWith("tick", StringComparison.Ordinal), s => probe.Tell(s));
            Receive<string>(s => s.StartsWith("cancel ", StringComparison.Ordinal), s =>
            {
                Timers.Cancel(s[7..]);
                Sender.Tell("cancelled");
            });
            Receive<string>(s => s.StartsWith("active ", StringComparison.Ordinal), s => Sender.Tell(Timers.IsTimerActive(s[7..])));
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("restart me"));
        }

        public ITimerScheduler Timers { get; set; } = null!;
    }

    private sealed class Sleepy : ReceiveActor
    {
        public Sleepy(IActorRef probe)
        {
            Context.SetReceiveTimeout(TimeSpan.FromSeconds(10));
            Receive<ReceiveTimeout>(_ => probe.Tell("timeout"));
            Receive<string>(s => s == "off", _ =>
            {
                Context.SetReceiveTimeout(null);
                Sender.Tell("off");
            });
            Receive<string>(s => Sender.Tell(s));
        }
    }

    private async Task<IActorRef> StartTimer(string key, TimeSpan delay, bool periodic)
    {
        var actor = Sys.ActorOf(Props.Create(() => new Timed(TestActor)));
        actor.Tell((key, delay, periodic), TestActor);
        await ExpectMsgAsync("started");
        return actor;
    }

    [Fact]
    public async Task Single_timer_must_fire_once_after_its_delay()
    {
        var actor = await StartTimer("a", TimeSpan.FromSeconds(5), periodic: false);
        clock.Advance(TimeSpan.FromSeconds(4));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        clock.Advance(TimeSpan.FromSeconds(1));
        await ExpectMsgAsync("tick a");
        clock.Advance(TimeSpan.FromSeconds(10));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        actor.Tell("active a", TestActor);
        Assert.False(await ExpectMsgAsync<bool>());
    }

    [Fact]
    public async Task Periodic_timer_must_fire_every_interval_until_cancelled()
    {
        var actor = await StartTimer("p", TimeSpan.FromSeconds(1), periodic: true);
        clock.Advance(TimeSpan.FromSeconds(3));
        await ExpectMsgAsync("tick p");
        await ExpectMsgAsync("tick p");
        await ExpectMsgAsync("tick p");
        actor.Tell("active p", TestActor);
        Assert.True(await ExpectMsgAsync<bool>());
        actor.Tell("cancel p", TestActor);
        await ExpectMsgAsync("cancelled");
        clock.Advance(TimeSpan.FromSeconds(3));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Timers_must_be_cancelled_on_restart()
    {
        var actor = await StartTimer("r", TimeSpan.FromSeconds(1), periodic: false);
        actor.Tell("fail");
        actor.Tell("active r", TestActor);
        Assert.False(await ExpectMsgAsync<bool>());
        clock.Advance(TimeSpan.FromSeconds(2));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Timers_must_be_cancelled_on_stop()
    {
        var actor = await StartTimer("s", TimeSpan.FromSeconds(1), periodic: true);
        Watch(actor);
        Sys.Stop(actor);
        await ExpectTerminatedAsync(actor);
        Assert.Equal(0, clock.PendingCount);
    }

    [Fact]
    public async Task Restarting_a_timer_with_the_same_key_must_replace_it()
    {
        var actor = await StartTimer("k", TimeSpan.FromSeconds(1), periodic: false);
        actor.Tell(("k", TimeSpan.FromSeconds(5), false), TestActor);
        await ExpectMsgAsync("started");
        clock.Advance(TimeSpan.FromSeconds(2));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        clock.Advance(TimeSpan.FromSeconds(3));
        await ExpectMsgAsync("tick k");
    }

    [Fact]
    public async Task ReceiveTimeout_must_fire_after_silence_and_be_reset_by_messages()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Sleepy(TestActor)));
        // the reply leaves before the timeout is re-armed: wait for the tick due 10 s after "now"
        async Task Ping()
        {
            actor.Tell("ping", TestActor);
            await ExpectMsgAsync("ping");
            await AwaitConditionAsync(() => clock.NextDue == clock.Now + TimeSpan.FromSeconds(10));
        }
        await Ping();
        clock.Advance(TimeSpan.FromSeconds(9));
        await Ping();
        clock.Advance(TimeSpan.FromSeconds(9));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        clock.Advance(TimeSpan.FromSeconds(1));
        await ExpectMsgAsync("timeout");
        actor.Tell("off", TestActor);
        await ExpectMsgAsync("off");
        clock.Advance(TimeSpan.FromSeconds(30));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Scheduler_must_tell_once_and_repeatedly_until_cancelled()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "once", null);
        var repeated = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), TestActor, "again", null);
        clock.Advance(TimeSpan.FromSeconds(3));
        await ExpectMsgAsync("once");
        await ExpectMsgAsync("again");
        await ExpectMsgAsync("again");
        repeated.Cancel();
        clock.Advance(TimeSpan.FromSeconds(5));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        Assert.True(repeated.IsCancellationRequested);
    }
}

public sealed class RealTimeSchedulerSpec : ActorTestKit
{
    [Fact]
    public async Task A_throwing_scheduled_action_must_be_logged_not_fatal()
    {
        await EventFilter.Error<InvalidOperationException>("scheduled").ExpectOneAsync(() =>
        {
            Sys.Scheduler.ScheduleOnce(TimeSpan.FromMilliseconds(10), () => throw new InvalidOperationException("scheduled"));
        });
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(10), TestActor, "still scheduling", null);
        await ExpectMsgAsync("still scheduling");
    }

    [Fact]
    public async Task Cancelled_real_time_tells_must_not_arrive()
    {
        var cancelled = Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(50), TestActor, "cancelled", null);
        cancelled.Cancel();
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(100), TestActor, "kept", null);
        await ExpectMsgAsync("kept");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }
}
