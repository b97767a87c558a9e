namespace ActorMq.Actors.Tests;

public sealed class DeadLettersSpec : ActorTestKit
{
    public DeadLettersSpec() : base("""
        bounded { capacity = 2 }
        actormq.actors.dead-letters.log-max = 2
        """)
    {
    }

    private sealed class Blocked : ReceiveActor
    {
        public Blocked(TaskCompletionSource gate, IActorRef probe) => ReceiveAsync<string>(_ =>
        {
            probe.Tell("blocked");
            return gate.Task;
        });
    }

    private sealed class Idle : ReceiveActor
    {
        public Idle() => Receive<string>(_ => { });
    }

    [Fact]
    public async Task Messages_to_a_stopped_actor_must_become_DeadLetters_with_sender_and_recipient()
    {
        var actor = Sys.ActorOf(Props.Create<Idle>());
        Watch(actor);
        Sys.Stop(actor);
        await ExpectTerminatedAsync(actor);
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        actor.Tell("lost", TestActor);
        var dead = await ExpectMsgAsync<DeadLetter>();
        Assert.Equal("lost", dead.Message);
        Assert.Equal(TestActor, dead.Sender);
        Assert.Equal(actor, dead.Recipient);
    }

    [Fact]
    public async Task A_full_bounded_mailbox_must_turn_overflow_into_DeadLetters()
    {
        var gate = new TaskCompletionSource();
        var actor = Sys.ActorOf(Props.Create(() => new Blocked(gate, TestActor)).WithMailbox("bounded"));
        actor.Tell("in progress");
        await ExpectMsgAsync("blocked");
        // the first message is being processed: two fit, the third overflows
        await EventFilter.DeadLetter<string>().ExpectOneAsync(() =>
        {
            actor.Tell("first");
            actor.Tell("second");
            actor.Tell("third");
        });
        gate.SetResult();
        await ExpectMsgAsync("blocked");
        await ExpectMsgAsync("blocked");
    }

    [Fact]
    public async Task Dead_letters_must_be_logged_at_most_log_max_per_interval()
    {
        var actor = Sys.ActorOf(Props.Create<Idle>());
        Watch(actor);
        Sys.Stop(actor);
        await ExpectTerminatedAsync(actor);
        var before = Logs.Count;
        await EventFilter.DeadLetter<int>().ExpectAsync(5, () =>
        {
            for (var i = 0; i < 5; i++) actor.Tell(i);
            return Task.CompletedTask;
        });
        Assert.Equal(2, Logs.Since(before).Count(e => e.Message.StartsWith("Dead letter", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DeadLetters_ref_must_publish_what_it_receives()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        Sys.DeadLetters.Tell("nowhere", TestActor);
        var dead = await ExpectMsgAsync<DeadLetter>();
        Assert.Equal(Sys.DeadLetters, dead.Recipient);
    }
}
