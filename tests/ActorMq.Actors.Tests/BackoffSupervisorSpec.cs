using ActorMq.Hocon;

namespace ActorMq.Actors.Tests;

public sealed class BackoffSupervisorSpec : ActorTestKit
{
    private static readonly TimeSpan Min = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);
    private readonly TestScheduler clock;
    private readonly Counter incarnations = new();

    public BackoffSupervisorSpec() : this(new TestScheduler())
    {
    }

    private BackoffSupervisorSpec(TestScheduler clock) : base((Config?)null, new ActorSystemOptions { Scheduler = clock }) => this.clock = clock;

    private Props ChildProps => Props.Create(() => new Lifecycle(TestActor, incarnations, "c"));

    private async Task<IActorRef> Start(BackoffOptions options)
    {
        var supervisor = Sys.ActorOf(BackoffSupervisor.Props(options), "supervisor");
        await ExpectMsgAsync("c ctor 1");
        await ExpectMsgAsync("c preStart 1");
        return supervisor;
    }

    /// <summary>Waits until the supervisor has armed its start timer, then checks it fires exactly after <paramref name="delay"/>.</summary>
    private async Task ExpectRestartAfter(TimeSpan delay, int incarnation)
    {
        await AwaitConditionAsync(() => clock.NextDue is not null, message: "the backoff timer was never scheduled");
        Assert.Equal(clock.Now + delay, clock.NextDue);
        clock.Advance(delay - TimeSpan.FromMilliseconds(1));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await ExpectMsgAsync($"c ctor {incarnation}");
        await ExpectMsgAsync($"c preStart {incarnation}");
    }

    [Fact]
    public async Task OnFailure_must_restart_the_child_after_exponentially_growing_delays()
    {
        var supervisor = await Start(Backoff.OnFailure(ChildProps, "c", Min, Max, 0).WithManualReset());
        await FailAndExpectRestart(supervisor, 1, Min);
        await FailAndExpectRestart(supervisor, 2, 2 * Min);
        await FailAndExpectRestart(supervisor, 3, 4 * Min);
    }

    [Fact]
    public async Task OnFailure_must_cap_the_delay_at_maxBackoff()
    {
        var supervisor = await Start(Backoff.OnFailure(ChildProps, "c", Min, TimeSpan.FromSeconds(3), 0).WithManualReset());
        var delays = new[] { 1, 2, 3, 3 };
        for (var i = 0; i < delays.Length; i++)
        {
            supervisor.Tell($"fail:{i}");
            await ExpectMsgAsync($"c postStop {i + 1}");
            await ExpectRestartAfter(TimeSpan.FromSeconds(delays[i]), i + 2);
        }
    }

    [Fact]
    public async Task OnFailure_must_stop_the_supervisor_when_the_child_stops_by_itself()
    {
        var supervisor = await Start(Backoff.OnFailure(ChildProps, "c", Min, Max, 0));
        Watch(supervisor);
        supervisor.Tell(PoisonPill.Instance); // not forwarded: stops the supervisor itself
        await ExpectMsgAsync("c postStop 1");
        await ExpectTerminatedAsync(supervisor);
    }

    [Fact]
    public async Task OnStop_must_start_the_child_again_after_it_stopped()
    {
        var supervisor = await Start(Backoff.OnStop(ChildProps, "c", Min, Max, 0));
        var child = await GetChild(supervisor);
        child!.Tell(PoisonPill.Instance);
        await ExpectMsgAsync("c postStop 1");
        await ExpectRestartAfter(Min, 2);
        Assert.NotEqual(child, await GetChild(supervisor));
    }

    [Fact]
    public async Task Max_retries_must_stop_the_supervisor_when_reached()
    {
        var supervisor = await Start(Backoff.OnFailure(ChildProps, "c", Min, Max, 0).WithMaxNrOfRetries(1));
        Watch(supervisor);
        await FailAndExpectRestart(supervisor, 1, Min);
        supervisor.Tell("fail:2");
        await ExpectMsgAsync("c postStop 2");
        await ExpectTerminatedAsync(supervisor);
    }

    [Fact]
    public async Task Supervisor_must_forward_messages_to_the_current_child_keeping_the_sender()
    {
        var supervisor = await Start(Backoff.OnFailure(ChildProps, "c", Min, Max, 0));
        supervisor.Tell("hello", TestActor);
        await ExpectMsgAsync("c 1 got hello");
        Assert.Equal("c", LastSender.Path.Name);
    }

    [Fact]
    public async Task GetCurrentChild_must_answer_null_while_the_child_is_backing_off()
    {
        var supervisor = await Start(Backoff.OnFailure(ChildProps, "c", Min, Max, 0));
        Assert.NotNull(await GetChild(supervisor));
        supervisor.Tell("fail:x");
        await ExpectMsgAsync("c postStop 1");
        // the supervisor learns of the stop (Terminated) a moment after the child's PostStop
        await AwaitAssertAsync(async () => Assert.Null(await GetChild(supervisor)));
        await ExpectRestartAfter(Min, 2);
        Assert.NotNull(await GetChild(supervisor));
    }

    [Fact]
    public async Task Reset_must_bring_the_delay_back_to_minBackoff()
    {
        var supervisor = await Start(Backoff.OnFailure(ChildProps, "c", Min, Max, 0).WithManualReset());
        await FailAndExpectRestart(supervisor, 1, Min);
        supervisor.Tell(BackoffSupervisor.Reset.Instance);
        Assert.Equal(0, await RestartCount(supervisor));
        await FailAndExpectRestart(supervisor, 2, Min);
    }

    [Fact]
    public async Task AutoReset_must_reset_the_count_once_the_child_ran_long_enough()
    {
        var supervisor = await Start(Backoff.OnFailure(ChildProps, "c", Min, Max, 0).WithAutoReset(TimeSpan.FromSeconds(30)));
        await FailAndExpectRestart(supervisor, 1, Min);
        await AwaitConditionAsync(() => clock.PendingCount == 1, message: "auto-reset timer not armed");
        clock.Advance(TimeSpan.FromSeconds(30));
        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(0, await RestartCount(supervisor));
        });
        await FailAndExpectRestart(supervisor, 2, Min);
    }

    [Fact]
    public void CalculateDelay_must_grow_exponentially_within_the_random_factor()
    {
        Assert.Equal(TimeSpan.FromSeconds(4), BackoffSupervisor.CalculateDelay(2, Min, Max, 0));
        Assert.Equal(Max, BackoffSupervisor.CalculateDelay(30, Min, Max, 0));
        Assert.Equal(Max, BackoffSupervisor.CalculateDelay(int.MaxValue, Min, Max, 0));
        for (var i = 0; i < 100; i++)
        {
            var delay = BackoffSupervisor.CalculateDelay(1, Min, Max, 0.5);
            Assert.InRange(delay, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
        }
    }

    [Fact]
    public void Options_must_reject_invalid_values()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.OnFailure(ChildProps, "c", TimeSpan.Zero, Max, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.OnFailure(ChildProps, "c", Max, Min, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.OnFailure(ChildProps, "c", Min, Max, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.OnStop(ChildProps, "c", Min, Max, 0).WithMaxNrOfRetries(-2));
    }

    /// <summary>Makes incarnation <paramref name="incarnation"/> fail and expects the next one after <paramref name="delay"/>.</summary>
    private async Task FailAndExpectRestart(IActorRef supervisor, int incarnation, TimeSpan delay)
    {
        supervisor.Tell($"fail:{incarnation}");
        await ExpectMsgAsync($"c postStop {incarnation}");
        await ExpectRestartAfter(delay, incarnation + 1);
    }

    private async Task<int> RestartCount(IActorRef supervisor)
    {
        supervisor.Tell(BackoffSupervisor.GetRestartCount.Instance, TestActor);
        return (await ExpectMsgAsync<BackoffSupervisor.RestartCount>()).Count;
    }

    private async Task<IActorRef?> GetChild(IActorRef supervisor)
    {
        supervisor.Tell(BackoffSupervisor.GetCurrentChild.Instance, TestActor);
        return (await ExpectMsgAsync<BackoffSupervisor.CurrentChild>()).Ref;
    }
}
