namespace ActorMq.Actors.Tests;

public sealed class DeathWatchSpec : ActorTestKit
{
    private sealed class Watcher : ReceiveActor
    {
        public Watcher(IActorRef probe)
        {
            Receive<(string Command, IActorRef Subject)>(m => m.Command == "watch", m => Context.Watch(m.Subject));
            Receive<(string Command, IActorRef Subject)>(m => m.Command == "unwatch", m => Context.Unwatch(m.Subject));
            Receive<Terminated>(t => probe.Tell(t));
            Receive<string>(s => Sender.Tell(s));
        }
    }

    private sealed class Careless : ReceiveActor
    {
        public Careless(IActorRef subject) => Context.Watch(subject);
    }

    private sealed class Idle : ReceiveActor
    {
        public Idle() => Receive<string>(s => Sender.Tell(s));
    }

    [Fact]
    public async Task Watcher_must_receive_Terminated_when_the_watched_actor_stops()
    {
        var subject = Sys.ActorOf(Props.Create<Idle>());
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        watcher.Tell(("watch", subject));
        watcher.Tell("sync", TestActor);
        await ExpectMsgAsync("sync");
        subject.Tell(PoisonPill.Instance);
        var terminated = await ExpectMsgAsync<Terminated>();
        Assert.Equal(subject, terminated.ActorRef);
    }

    [Fact]
    public async Task Watching_an_already_dead_actor_must_yield_Terminated_at_once()
    {
        var subject = Sys.ActorOf(Props.Create<Idle>());
        Watch(subject);
        Sys.Stop(subject);
        await ExpectTerminatedAsync(subject);
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        watcher.Tell(("watch", subject));
        Assert.Equal(subject, (await ExpectMsgAsync<Terminated>()).ActorRef);
    }

    [Fact]
    public async Task Unwatch_must_prevent_the_Terminated()
    {
        var subject = Sys.ActorOf(Props.Create<Idle>());
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        watcher.Tell(("watch", subject));
        watcher.Tell(("unwatch", subject));
        watcher.Tell("sync", TestActor);
        await ExpectMsgAsync("sync");
        Watch(subject);
        Sys.Stop(subject);
        await ExpectTerminatedAsync(subject);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Unhandled_Terminated_must_stop_the_watcher_with_a_death_pact()
    {
        var subject = Sys.ActorOf(Props.Create<Idle>());
        var careless = Sys.ActorOf(Props.Create(() => new Careless(subject)));
        Watch(careless);
        await EventFilter.Error<DeathPactException>().ExpectOneAsync(() => Sys.Stop(subject));
        await ExpectTerminatedAsync(careless);
    }

    [Fact]
    public async Task Watching_Nobody_must_yield_Terminated()
    {
        Watch(ActorRefs.Nobody);
        await ExpectTerminatedAsync(ActorRefs.Nobody);
    }

    [Fact]
    public async Task Stopping_a_parent_must_stop_its_children_first()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Lifecycle(TestActor, new Counter(), "parent")));
        await ExpectMsgAsync("parent ctor 1");
        await ExpectMsgAsync("parent preStart 1");
        parent.Tell((Props.Create(() => new Lifecycle(TestActor, new Counter(), "child")), "child"), TestActor);
        var child = await ExpectMsgAsync<IActorRef>();
        await ExpectMsgAsync("child ctor 1");
        await ExpectMsgAsync("child preStart 1");
        Watch(parent);
        Sys.Stop(parent);
        await ExpectMsgAsync("child postStop 1");
        await ExpectMsgAsync("parent postStop 1");
        await ExpectTerminatedAsync(parent);
        Assert.Equal("child", child.Path.Name);
    }
}
