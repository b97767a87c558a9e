namespace ActorMq.Actors.Tests;

public sealed class MessageOrderingSpec : ActorTestKit
{
    private sealed record Numbered(int Sender, int Sequence);

    /// <summary>Checks every sender's sequence arrives in order; reports totals on request.</summary>
    private sealed class OrderChecker : ReceiveActor
    {
        private readonly Dictionary<int, int> lastBySender = new();
        private int outOfOrder;
        private int received;

        public OrderChecker()
        {
            Receive<Numbered>(n =>
            {
                received++;
                var last = lastBySender.GetValueOrDefault(n.Sender, -1);
                if (n.Sequence != last + 1) outOfOrder++;
                lastBySender[n.Sender] = n.Sequence;
            });
            Receive<string>(_ => Sender.Tell((received, outOfOrder)));
        }
    }

    [Fact]
    public async Task Messages_from_one_sender_must_arrive_in_the_order_sent_even_with_concurrent_senders()
    {
        const int senders = 8;
        const int perSender = 20_000;
        var checker = Sys.ActorOf(Props.Create<OrderChecker>());
        await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(() =>
        {
            for (var i = 0; i < perSender; i++) checker.Tell(new Numbered(s, i));
        })));
        await AwaitAssertAsync(async () =>
        {
            var (received, outOfOrder) = await checker.Ask<(int, int)>("report", TimeSpan.FromSeconds(5));
            Assert.Equal(senders * perSender, received);
            Assert.Equal(0, outOfOrder);
        });
    }

    [Fact]
    public async Task Replies_between_two_actors_must_keep_their_order()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        for (var i = 0; i < 1000; i++) echo.Tell(i, TestActor);
        var replies = await ReceiveNAsync(1000);
        Assert.Equal(Enumerable.Range(0, 1000).Cast<object>(), replies);
    }

    private sealed class EchoActor : ReceiveActor
    {
        public EchoActor() => ReceiveAny(m => Sender.Tell(m));
    }

    /// <summary>Holds its thread on the first message until the test releases it.</summary>
    private sealed class Held : ReceiveActor
    {
        public Held(ManualResetEventSlim release, IActorRef probe) => Receive<int>(n =>
        {
            probe.Tell($"processing {n}");
            if (n == 0) release.Wait(TimeSpan.FromSeconds(30));
        });
    }

    [Fact]
    public async Task A_stop_must_overtake_user_messages_already_queued()
    {
        using var release = new ManualResetEventSlim();
        var held = Sys.ActorOf(Props.Create(() => new Held(release, TestActor)));
        Watch(held);
        held.Tell(0);
        await ExpectMsgAsync("processing 0");
        for (var i = 1; i <= 100; i++) held.Tell(i);
        Sys.Stop(held);
        release.Set();
        await ExpectTerminatedAsync(held);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }
}
