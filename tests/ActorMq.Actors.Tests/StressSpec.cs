namespace ActorMq.Actors.Tests;

/// <summary>Many actors, many messages, many threads: nothing lost, nothing processed twice, no overlap inside one actor.</summary>
public sealed class StressSpec : ActorTestKit
{
    private const int Actors = 200;
    private const int Producers = 8;
    private const int MessagesPerProducer = 25_000;

    private sealed class Accumulator : ReceiveActor
    {
        private readonly HashSet<long> seen = new();
        private int inside;
        private int duplicates;
        private int overlaps;

        public Accumulator()
        {
            Receive<long>(id =>
            {
                if (Interlocked.Increment(ref inside) != 1) overlaps++;
                if (!seen.Add(id)) duplicates++;
                Interlocked.Decrement(ref inside);
            });
            Receive<string>(_ => Sender.Tell((seen.Count, duplicates, overlaps)));
        }
    }

    [Fact]
    public async Task Kernel_must_deliver_every_message_exactly_once_under_concurrent_load()
    {
        var actors = Enumerable.Range(0, Actors).Select(_ => Sys.ActorOf(Props.Create<Accumulator>())).ToArray();
        await Task.WhenAll(Enumerable.Range(0, Producers).Select(p => Task.Run(() =>
        {
            for (var i = 0; i < MessagesPerProducer; i++)
            {
                long id = (long)p * MessagesPerProducer + i;
                actors[id % Actors].Tell(id);
            }
        })));

        var total = 0;
        foreach (var actor in actors)
        {
            var (count, duplicates, overlaps) = await actor.Ask<(int, int, int)>("report", TimeSpan.FromSeconds(30));
            Assert.Equal(0, duplicates);
            Assert.Equal(0, overlaps);
            total += count;
        }
        Assert.Equal(Producers * MessagesPerProducer, total);
    }

    [Fact]
    public async Task Spawning_and_stopping_many_actors_concurrently_must_leave_no_child_behind()
    {
        var parent = Sys.ActorOf(Props.Create<Parent>(), "parent");
        var refs = await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => parent.Ask<IActorRef>(Props.Create<Accumulator>(), TimeSpan.FromSeconds(10))));
        foreach (var r in refs) Sys.Stop(r);
        Watch(parent);
        Sys.Stop(parent);
        await ExpectTerminatedAsync(parent, TimeSpan.FromSeconds(10));
    }
}
