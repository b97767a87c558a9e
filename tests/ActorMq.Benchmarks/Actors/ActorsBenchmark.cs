using System.Diagnostics;
using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using ActorMq.Actors;

namespace ActorMq.Benchmarks.Actors;

/// <summary>
/// The actor kernel against its peers, in one process: ping-pong throughput (1 pair and 2×cores
/// pairs) on ActorMq actors, TPL Dataflow ActionBlocks and raw Channel&lt;T&gt; loops; allocation per
/// Tell; memory per idle actor; spawn+stop rate.
/// </summary>
public sealed class ActorsBenchmark : IBenchmarkSuite
{
    private const int RoundTripsOnePair = 300_000;
    private const int RoundTripsPerPairMany = 100_000;

    public string Name => "actors";

    public string Description => "actor kernel: ping-pong vs Dataflow and Channel<T>, bytes per Tell, bytes per idle actor, spawn+stop rate";

    public async Task RunAsync(BenchmarkContext context)
    {
        var manyPairs = 2 * Environment.ProcessorCount;
        await using var system = ActorSystem.Create("bench");

        // Warm up every contestant once (JIT, thread pool).
        await ActorPingPongAsync(system, 1, 20_000);
        await DataflowPingPongAsync(1, 20_000);
        await ChannelPingPongAsync(1, 20_000);

        var ratiosDataflow = new List<double>();
        var ratiosChannel = new List<double>();
        foreach (var (pairs, roundTrips, label) in new[] { (1, RoundTripsOnePair, "1pair"), (manyPairs, RoundTripsPerPairMany, "many") })
        {
            // Best of three runs each, interleaved, so a noisy neighbour hurts all contestants alike.
            double actors = 0, dataflow = 0, channel = 0;
            for (var run = 0; run < 3; run++)
            {
                actors = Math.Max(actors, await ActorPingPongAsync(system, pairs, roundTrips));
                dataflow = Math.Max(dataflow, await DataflowPingPongAsync(pairs, roundTrips));
                channel = Math.Max(channel, await ChannelPingPongAsync(pairs, roundTrips));
            }
            context.Report($"actors.pingpong.{label}.pairs", pairs);
            context.Report($"actors.pingpong.{label}.actormq_msgs_per_s", Math.Round(actors));
            context.Report($"actors.pingpong.{label}.dataflow_msgs_per_s", Math.Round(dataflow));
            context.Report($"actors.pingpong.{label}.channel_msgs_per_s", Math.Round(channel));
            ratiosDataflow.Add(actors / dataflow);
            ratiosChannel.Add(actors / channel);
        }
        context.Note("ratios are the geometric mean over the 1-pair and 2x-cores-pairs runs");
        context.Report("actors.pingpong.ratio_vs_dataflow", GeometricMean(ratiosDataflow));
        context.Report("actors.pingpong.ratio_vs_channel", GeometricMean(ratiosChannel));

        context.Report("actors.tell.alloc_bytes", await AllocatedBytesPerTellAsync(system));
        context.Report("actors.idle_actor.bytes", await BytesPerIdleActorAsync(system));
        context.Report("actors.spawn.per_s", Math.Round(await SpawnStopRateAsync(system)));
    }

    private static double GeometricMean(List<double> values) => Math.Exp(values.Average(Math.Log));

    // ----- ping-pong -----

    private sealed class Ball
    {
        public static readonly Ball Instance = new();
    }

    /// <summary>Counts round trips and replies to the sender until it has seen enough.</summary>
    private sealed class Pinger : ReceiveActor
    {
        public Pinger(int roundTrips, TaskCompletionSource done)
        {
            var seen = 0;
            Receive<Ball>(ball =>
            {
                if (++seen >= roundTrips) done.TrySetResult();
                else Sender.Tell(ball);
            });
        }
    }

    private sealed class Ponger : ReceiveActor
    {
        public Ponger() => Receive<Ball>(ball => Sender.Tell(ball));
    }

    private static async Task<double> ActorPingPongAsync(ActorSystem system, int pairs, int roundTrips)
    {
        var done = new List<Task>();
        var starts = new List<(IActorRef Ping, IActorRef Pong)>();
        var actors = new List<IActorRef>();
        for (var i = 0; i < pairs; i++)
        {
            var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var ping = system.ActorOf(Props.Create(() => new Pinger(roundTrips, completion)));
            var pong = system.ActorOf(Props.Create<Ponger>());
            starts.Add((ping, pong));
            actors.Add(ping);
            actors.Add(pong);
            done.Add(completion.Task);
        }
        var watch = Stopwatch.StartNew();
        foreach (var (ping, pong) in starts) ping.Tell(Ball.Instance, pong);
        await Task.WhenAll(done);
        watch.Stop();
        foreach (var actor in actors) system.Stop(actor);
        return 2.0 * pairs * roundTrips / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> DataflowPingPongAsync(int pairs, int roundTrips)
    {
        var done = new List<Task>();
        var starts = new List<ActionBlock<Ball>>();
        for (var i = 0; i < pairs; i++)
        {
            var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            ActionBlock<Ball>? pong = null;
            var seen = 0;
            var ping = new ActionBlock<Ball>(ball =>
            {
                if (++seen >= roundTrips) completion.TrySetResult();
                else pong!.Post(ball);
            });
            pong = new ActionBlock<Ball>(ball => ping.Post(ball));
            starts.Add(ping);
            done.Add(completion.Task);
        }
        var watch = Stopwatch.StartNew();
        foreach (var ping in starts) ping.Post(Ball.Instance);
        await Task.WhenAll(done);
        watch.Stop();
        return 2.0 * pairs * roundTrips / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> ChannelPingPongAsync(int pairs, int roundTrips)
    {
        var loops = new List<Task>();
        var starts = new List<Channel<Ball>>();
        for (var i = 0; i < pairs; i++)
        {
            var toPing = Channel.CreateUnbounded<Ball>(new UnboundedChannelOptions { SingleReader = true });
            var toPong = Channel.CreateUnbounded<Ball>(new UnboundedChannelOptions { SingleReader = true });
            loops.Add(Task.Run(async () =>
            {
                for (var seen = 1; ; seen++)
                {
                    var ball = await toPing.Reader.ReadAsync();
                    if (seen >= roundTrips)
                    {
                        toPong.Writer.Complete();
                        return;
                    }
                    toPong.Writer.TryWrite(ball);
                }
            }));
            loops.Add(Task.Run(async () =>
            {
                await foreach (var ball in toPong.Reader.ReadAllAsync()) toPing.Writer.TryWrite(ball);
            }));
            starts.Add(toPing);
        }
        var watch = Stopwatch.StartNew();
        foreach (var toPing in starts) toPing.Writer.TryWrite(Ball.Instance);
        await Task.WhenAll(loops);
        watch.Stop();
        return 2.0 * pairs * roundTrips / watch.Elapsed.TotalSeconds;
    }

    // ----- allocation per Tell -----

    private sealed class Counter : ActorBase
    {
        public static long Received;

        protected override bool Receive(object message)
        {
            Interlocked.Increment(ref Received);
            return true;
        }
    }

    private static async Task<double> AllocatedBytesPerTellAsync(ActorSystem system)
    {
        var counter = system.ActorOf(Props.Create<Counter>());
        var message = new Ball();
        const int batch = 1_000;
        void Send(int batches)
        {
            for (var b = 0; b < batches; b++)
            {
                var target = Interlocked.Read(ref Counter.Received) + batch;
                for (var i = 0; i < batch; i++) counter.Tell(message, ActorRefs.NoSender);
                var spin = new SpinWait();
                while (Interlocked.Read(ref Counter.Received) < target) spin.SpinOnce();
            }
        }
        Send(200); // warm up: mailbox buffer at its working size, thread-pool queues allocated
        var before = GC.GetTotalAllocatedBytes(precise: true);
        const int measured = 1_000;
        Send(measured);
        var after = GC.GetTotalAllocatedBytes(precise: true);
        system.Stop(counter);
        await Task.Yield();
        return Math.Round((double)(after - before) / (measured * batch), 2);
    }

    // ----- idle actor footprint -----

    private sealed class Idle : ReceiveActor
    {
        public static int Started;

        public Idle() => Receive<Ball>(_ => { });

        protected override void PreStart() => Interlocked.Increment(ref Started);
    }

    private static async Task<double> BytesPerIdleActorAsync(ActorSystem system)
    {
        const int count = 100_000;
        var parent = system.ActorOf(Props.Create<Ponger>(), "idle-parent");
        await Task.Yield();
        var baseline = Settle();
        Idle.Started = 0;
        var refs = new IActorRef[count];
        for (var i = 0; i < count; i++) refs[i] = system.ActorOf(Props.Create<Idle>());
        while (Volatile.Read(ref Idle.Started) < count) await Task.Delay(10);
        var loaded = Settle();
        var perActor = (loaded - baseline) / (double)count;
        foreach (var actor in refs) system.Stop(actor);
        system.Stop(parent);
        GC.KeepAlive(refs);
        return Math.Round(perActor);
    }

    private static long Settle()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    // ----- spawn + stop -----

    private sealed class ShortLived : ActorBase
    {
        public static int Stopped;

        protected override bool Receive(object message) => true;

        protected override void PostStop() => Interlocked.Increment(ref Stopped);
    }

    private static async Task<double> SpawnStopRateAsync(ActorSystem system)
    {
        var props = Props.Create<ShortLived>();
        const int count = 200_000;
        double best = 0;
        for (var round = 0; round < 4; round++)
        {
            ShortLived.Stopped = 0;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++) system.Stop(system.ActorOf(props));
            while (Volatile.Read(ref ShortLived.Stopped) < count) await Task.Delay(1);
            watch.Stop();
            if (round > 0) best = Math.Max(best, count / watch.Elapsed.TotalSeconds);
        }
        return best;
    }
}
