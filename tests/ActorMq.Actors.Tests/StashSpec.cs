namespace ActorMq.Actors.Tests;

public sealed class StashSpec : ActorTestKit
{
    public StashSpec() : base("actormq.actors.stash-capacity = 3")
    {
    }

    /// <summary>Stashes strings until "open", then replays them in order.</summary>
    private sealed class Gate : ReceiveActor, IWithStash
    {
        public Gate()
        {
            Receive<string>(s => s == "open", _ =>
            {
                Become(Open);
                Stash.UnstashAll();
            });
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("restart with a stash"));
            Receive<string>(s => s == "count", _ => Sender.Tell(Stash.Count));
            Receive<string>(_ => Stash.Stash());
        }

        public IStash Stash { get; set; } = null!;

        private void Open() => Receive<string>(s => Sender.Tell($"open {s}"));
    }

    [Fact]
    public async Task UnstashAll_must_replay_stashed_messages_in_order_before_newer_ones()
    {
        var gate = Sys.ActorOf(Props.Create<Gate>());
        gate.Tell("a", TestActor);
        gate.Tell("b", TestActor);
        gate.Tell("open", TestActor);
        gate.Tell("c", TestActor);
        await ExpectMsgAsync("open a");
        await ExpectMsgAsync("open b");
        await ExpectMsgAsync("open c");
    }

    [Fact]
    public async Task Stash_must_be_bounded_by_the_configured_capacity()
    {
        var gate = Sys.ActorOf(Props.Create<Gate>());
        await EventFilter.Error<StashOverflowException>().ExpectOneAsync(() =>
        {
            for (var i = 0; i < 4; i++) gate.Tell($"m{i}", TestActor);
        });
    }

    [Fact]
    public async Task Restart_must_return_the_stash_to_the_mailbox()
    {
        var gate = Sys.ActorOf(Props.Create<Gate>());
        gate.Tell("a", TestActor);
        gate.Tell("fail", TestActor);
        gate.Tell("open", TestActor);
        await ExpectMsgAsync("open a");
    }

    [Fact]
    public async Task Stop_must_turn_stashed_messages_into_dead_letters()
    {
        var gate = Sys.ActorOf(Props.Create<Gate>());
        gate.Tell("kept", TestActor);
        gate.Tell("count", TestActor);
        Assert.Equal(1, await ExpectMsgAsync<int>());
        await EventFilter.DeadLetter<string>(s => s == "kept").ExpectOneAsync(() => Sys.Stop(gate));
    }
}
