namespace ActorMq.Actors.Tests;

public sealed class ActorContextSpec : ActorTestKit
{
    private sealed class Family : ReceiveActor
    {
        public Family()
        {
            Receive<string>(s => s.StartsWith("spawn ", StringComparison.Ordinal), s => Sender.Tell(Context.ActorOf(Props.Create<Family>(), s[6..])));
            Receive<string>(s => s.StartsWith("child ", StringComparison.Ordinal), s => Sender.Tell(Context.Child(s[6..])));
            Receive<string>(s => s == "children", _ => Sender.Tell(Context.Children.Select(c => c.Path.Name).Order().ToArray()));
            Receive<string>(s => s == "parent", _ => Sender.Tell(Context.Parent));
            Receive<string>(s => s == "sender", _ => Sender.Tell(Sender));
            Receive<(string Forward, IActorRef To)>(m => m.To.Forward(m.Forward));
            Receive<string>(s => s.StartsWith("stop ", StringComparison.Ordinal), s => Context.Stop(Context.Child(s[5..])));
            Receive<int>(n => Sender.Tell(n));
        }
    }

    [Fact]
    public async Task Context_must_expose_children_by_name_and_the_parent()
    {
        var family = Sys.ActorOf(Props.Create<Family>(), "family");
        family.Tell("spawn a", TestActor);
        var a = await ExpectMsgAsync<IActorRef>();
        family.Tell("spawn b", TestActor);
        await ExpectMsgAsync<IActorRef>();
        family.Tell("child a", TestActor);
        Assert.Equal(a, await ExpectMsgAsync<IActorRef>());
        family.Tell("child zz", TestActor);
        Assert.Equal(ActorRefs.Nobody, await ExpectMsgAsync<IActorRef>());
        family.Tell("children", TestActor);
        Assert.Equal(["a", "b"], await ExpectMsgAsync<string[]>());
        a.Tell("parent", TestActor);
        Assert.Equal(family, await ExpectMsgAsync<IActorRef>());
        Assert.Equal("actormq://test/user/family/a", a.Path.ToString());
    }

    [Fact]
    public async Task Stopping_a_child_must_free_its_name()
    {
        var family = Sys.ActorOf(Props.Create<Family>());
        family.Tell("spawn a", TestActor);
        var first = await ExpectMsgAsync<IActorRef>();
        Watch(first);
        family.Tell("stop a");
        await ExpectTerminatedAsync(first);
        family.Tell("spawn a", TestActor);
        Assert.NotEqual(first, await ExpectMsgAsync<IActorRef>());
    }

    [Fact]
    public async Task Sender_must_be_dead_letters_without_a_sender_and_Forward_must_keep_the_original_sender()
    {
        var family = Sys.ActorOf(Props.Create<Family>());
        var probe = CreateTestProbe();
        family.Tell("sender", probe.Ref);
        Assert.Equal(probe.Ref, await probe.ExpectMsgAsync<IActorRef>());
        family.Tell(("hello", probe.Ref), TestActor);
        await probe.ExpectMsgAsync("hello");
        Assert.Equal(TestActor, probe.LastSender);

        var replyTo = Sys.ActorOf(Props.Create<Family>());
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        replyTo.Tell("sender");
        var dead = await ExpectMsgAsync<DeadLetter>();
        Assert.Equal(Sys.DeadLetters, dead.Message);
    }

    [Fact]
    public async Task PoisonPill_must_stop_the_actor_after_the_messages_before_it()
    {
        var family = Sys.ActorOf(Props.Create<Family>());
        Watch(family);
        family.Tell(1, TestActor);
        family.Tell(2, TestActor);
        family.Tell(PoisonPill.Instance);
        family.Tell(3, TestActor);
        await ExpectMsgAsync(1);
        await ExpectMsgAsync(2);
        await ExpectTerminatedAsync(family);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Props_Create_with_an_expression_must_evaluate_the_arguments_once()
    {
        var evaluations = 0;
        Func<string> name = () =>
        {
            evaluations++;
            return "x";
        };
        var props = Props.Create(() => new Lifecycle(TestActor, new Counter(), name()));
        Assert.Equal(1, evaluations);
        Sys.ActorOf(props);
        Sys.ActorOf(props);
        var seen = await ReceiveNAsync(4);
        Assert.Contains("x ctor 2", seen); // one Counter shared by both: created once
        Assert.Equal(1, evaluations);
    }
}
