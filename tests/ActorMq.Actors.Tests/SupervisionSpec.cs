using ActorMq.Hocon;

namespace ActorMq.Actors.Tests;

public sealed class SupervisionSpec : ActorTestKit
{
    private readonly TestScheduler clock;
    private readonly Counter incarnations = new();

    public SupervisionSpec() : this(new TestScheduler())
    {
    }

    private SupervisionSpec(TestScheduler clock) : base((Config?)null, new ActorSystemOptions { Scheduler = clock })
    {
        this.clock = clock;
    }

    private async Task<IActorRef> ChildOf(SupervisorStrategy strategy, string name = "x")
    {
        var parent = Sys.ActorOf(Props.Create<Parent>().WithSupervisorStrategy(strategy));
        parent.Tell((Props.Create(() => new Lifecycle(TestActor, incarnations, name)), name), TestActor);
        var child = await ExpectMsgAsync<IActorRef>();
        await ExpectMsgAsync($"{name} ctor 1");
        await ExpectMsgAsync($"{name} preStart 1");
        return child;
    }

    [Fact]
    public async Task Resume_must_keep_the_instance_and_its_state()
    {
        var child = await ChildOf(new OneForOneStrategy(_ => Directive.Resume));
        child.Tell("a", TestActor);
        await ExpectMsgAsync("x 1 got a");
        await EventFilter.Warning("resumed").ExpectOneAsync(() => child.Tell("fail:oops", TestActor));
        child.Tell("count", TestActor);
        await ExpectMsgAsync("x 1 handled 3");
    }

    [Fact]
    public async Task Restart_must_create_a_new_instance_behind_the_same_ref_calling_hooks_in_order()
    {
        var child = await ChildOf(SupervisorStrategy.DefaultStrategy);
        child.Tell("fail:boom", TestActor);
        child.Tell("after", TestActor);
        await ExpectMsgAsync("x preRestart 1 boom fail:boom");
        await ExpectMsgAsync("x postStop 1");
        await ExpectMsgAsync("x ctor 2");
        await ExpectMsgAsync("x postRestart 2 boom");
        await ExpectMsgAsync("x preStart 2");
        // the mailbox survived, the failing message was not retried
        await ExpectMsgAsync("x 2 got after");
        child.Tell("count", TestActor);
        await ExpectMsgAsync("x 2 handled 2");
        await ExpectNoMsgAsync();
    }

    [Fact]
    public async Task Stop_must_stop_the_failed_child()
    {
        var child = await ChildOf(SupervisorStrategy.StoppingStrategy);
        Watch(child);
        child.Tell("fail:stop-me", TestActor);
        await ExpectMsgAsync("x postStop 1");
        await ExpectTerminatedAsync(child);
    }

    [Fact]
    public async Task Default_strategy_must_stop_a_child_whose_constructor_throws()
    {
        var parent = Sys.ActorOf(Props.Create<Parent>());
        await EventFilter.Error<ActorInitializationException>().ExpectOneAsync(async () =>
        {
            parent.Tell(Props.Create<FailingConstructor>(), TestActor);
            var child = await ExpectMsgAsync<IActorRef>();
            Watch(child);
            await ExpectTerminatedAsync(child);
        });
    }

    [Fact]
    public async Task Kill_must_make_the_default_strategy_stop_the_actor()
    {
        var child = await ChildOf(SupervisorStrategy.DefaultStrategy);
        Watch(child);
        child.Tell(Kill.Instance);
        await ExpectMsgAsync("x postStop 1");
        await ExpectTerminatedAsync(child);
    }

    [Fact]
    public async Task Escalate_must_hand_the_failure_to_the_grandparent_which_restarts_the_middle_actor()
    {
        var top = Sys.ActorOf(Props.Create<Parent>().WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Restart)));
        var midProps = Props.Create(() => new Lifecycle(TestActor, new Counter(), "mid"))
            .WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Escalate));
        top.Tell((midProps, "mid"), TestActor);
        var mid = await ExpectMsgAsync<IActorRef>();
        await ExpectMsgAsync("mid ctor 1");
        await ExpectMsgAsync("mid preStart 1");
        mid.Tell((Props.Create(() => new Lifecycle(TestActor, new Counter(), "low")), "low"), TestActor);
        var low = await ExpectMsgAsync<IActorRef>();
        await ExpectMsgAsync("low ctor 1");
        await ExpectMsgAsync("low preStart 1");
        Watch(low);

        low.Tell("fail:escalated", TestActor);

        await ExpectMsgAsync("mid preRestart 1 escalated ");
        await ExpectMsgAsync("mid postStop 1");
        await ExpectMsgAsync("low postStop 1");
        await ExpectTerminatedAsync(low);
        await ExpectMsgAsync("mid ctor 2");
        await ExpectMsgAsync("mid postRestart 2 escalated");
        await ExpectMsgAsync("mid preStart 2");
        mid.Tell("still here", TestActor);
        await ExpectMsgAsync("mid 2 got still here");
    }

    [Fact]
    public async Task Retry_limit_must_stop_the_child_after_too_many_restarts_within_the_window()
    {
        var child = await ChildOf(new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart));
        Watch(child);
        for (var i = 1; i <= 2; i++)
        {
            child.Tell($"fail:{i}", TestActor);
            await FishForMessageAsync(m => m is string s && s == $"x preStart {i + 1}");
        }
        child.Tell("fail:3", TestActor);
        await FishForMessageAsync(m => m is string s && s == "x postStop 3");
        await ExpectTerminatedAsync(child);
    }

    [Fact]
    public async Task Retry_window_must_forget_restarts_older_than_the_window()
    {
        var child = await ChildOf(new OneForOneStrategy(1, TimeSpan.FromMinutes(1), _ => Directive.Restart));
        child.Tell("fail:1", TestActor);
        await FishForMessageAsync(m => m is string s && s == "x preStart 2");
        clock.Advance(TimeSpan.FromMinutes(2));
        child.Tell("fail:2", TestActor);
        await FishForMessageAsync(m => m is string s && s == "x preStart 3");
        child.Tell("alive?", TestActor);
        await ExpectMsgAsync("x 3 got alive?");
    }

    [Fact]
    public async Task AllForOne_must_restart_every_sibling()
    {
        var parent = Sys.ActorOf(Props.Create<Parent>().WithSupervisorStrategy(new AllForOneStrategy(_ => Directive.Restart)));
        parent.Tell((Props.Create(() => new Lifecycle(TestActor, new Counter(), "a")), "a"), TestActor);
        var a = await ExpectMsgAsync<IActorRef>();
        await ExpectMsgAsync("a ctor 1");
        await ExpectMsgAsync("a preStart 1");
        parent.Tell((Props.Create(() => new Lifecycle(TestActor, new Counter(), "b")), "b"), TestActor);
        await ExpectMsgAsync<IActorRef>();
        await ExpectMsgAsync("b ctor 1");
        await ExpectMsgAsync("b preStart 1");
        a.Tell("fail:all", TestActor);
        var seen = await ReceiveNAsync(10);
        Assert.Contains("a preStart 2", seen);
        Assert.Contains("b preStart 2", seen);
        Assert.Contains("b preRestart 1 all ", seen);
    }

    [Fact]
    public async Task PostStop_failure_must_be_logged_and_the_actor_stopped_anyway()
    {
        var actor = Sys.ActorOf(Props.Create(() => new ThrowingPostStop()));
        Watch(actor);
        await EventFilter.Error<InvalidOperationException>("post-stop").ExpectOneAsync(() => Sys.Stop(actor));
        await ExpectTerminatedAsync(actor);
    }

    [Fact]
    public async Task Supervisor_strategy_from_the_actor_override_must_apply_when_props_have_none()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new ResumingSupervisor(TestActor, incarnations)));
        var child = await ExpectMsgAsync<IActorRef>();
        await ExpectMsgAsync("x ctor 1");
        await ExpectMsgAsync("x preStart 1");
        child.Tell("fail:resume", TestActor);
        child.Tell("count", TestActor);
        await ExpectMsgAsync("x 1 handled 2");
        Assert.NotNull(supervisor);
    }

    private sealed class ThrowingPostStop : ActorBase
    {
        protected override bool Receive(object message) => true;

        protected override void PostStop() => throw new InvalidOperationException("post-stop");
    }

    private sealed class ResumingSupervisor : ActorBase
    {
        public ResumingSupervisor(IActorRef probe, Counter counter) =>
            probe.Tell(Context.ActorOf(Props.Create(() => new Lifecycle(probe, counter, "x")), "x"));

        protected override bool Receive(object message) => false;

        protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Resume);
    }
}

public sealed class RestartChildrenSpec : ActorTestKit
{
    /// <summary>Creates a child in its constructor; keeps its children across restarts.</summary>
    private sealed class KeepsChildren : ReceiveActor
    {
        public KeepsChildren(IActorRef probe, Counter parentIncarnations, Counter childIncarnations)
        {
            var incarnation = parentIncarnations.Next();
            Context.ActorOf(Props.Create(() => new Lifecycle(probe, childIncarnations, $"child-of-{incarnation}")), $"child-{incarnation}");
            Receive<string>(_ => throw new InvalidOperationException("parent fails"));
        }

        protected override void PreRestart(Exception reason, object? message)
        {
            // keep the children: they are restarted after the new instance starts
        }
    }

    [Fact]
    public async Task Children_kept_by_PreRestart_must_be_restarted_but_new_children_must_not()
    {
        var parent = Sys.ActorOf(Props.Create(() => new KeepsChildren(TestActor, new Counter(), new Counter())));
        await ExpectMsgAsync("child-of-1 ctor 1");
        await ExpectMsgAsync("child-of-1 preStart 1");
        parent.Tell("fail");
        var seen = await ReceiveNAsync(7);
        Assert.Contains("child-of-2 ctor 2", seen);
        Assert.Contains("child-of-2 preStart 2", seen);
        Assert.Contains("child-of-1 preRestart 1 parent fails ", seen);
        Assert.Contains("child-of-1 ctor 3", seen);
        Assert.Contains("child-of-1 postRestart 3 parent fails", seen);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }
}
