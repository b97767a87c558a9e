using System.Collections.Concurrent;

namespace ActorMq.Actors.Tests;

public sealed class CoordinatedShutdownSpec
{
    private sealed class Recording : ReceiveActor
    {
        public Recording(ConcurrentQueue<string> log, string name, int depth)
        {
            if (depth > 0) Context.ActorOf(Props.Create(() => new Recording(log, $"{name}/c", depth - 1)), "c");
            Name = name;
            Log = log;
        }

        private string Name { get; }

        private ConcurrentQueue<string> Log { get; }

        protected override void PostStop() => Log.Enqueue($"stop {Name}");
    }

    [Fact]
    public async Task Terminate_must_run_phases_in_order_then_stop_actors_children_first()
    {
        var log = new ConcurrentQueue<string>();
        var system = ActorSystem.Create("shutdown");
        system.ActorOf(Props.Create(() => new Recording(log, "a", 2)), "a");
        var shutdown = system.CoordinatedShutdown;
        shutdown.AddTask(CoordinatedShutdown.PhaseCloseConnections, "close", async _ =>
        {
            await Task.Yield();
            log.Enqueue("close-connections");
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseStopConsuming, "stop", _ =>
        {
            log.Enqueue("stop-consuming");
            return Task.CompletedTask;
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseDrainHandlers, "drain", async _ =>
        {
            await Task.Yield();
            log.Enqueue("drain-handlers");
        });

        await system.Terminate();

        Assert.Equal(["stop-consuming", "drain-handlers", "close-connections", "stop a/c/c", "stop a/c", "stop a"], log);
        Assert.True(system.WhenTerminated.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_phase_that_times_out_must_be_cancelled_and_shutdown_continue()
    {
        var config = ActorMq.Hocon.ConfigFactory.ParseString("actormq.actors.coordinated-shutdown.phase-timeouts.drain-handlers = 50ms");
        var system = ActorSystem.Create("shutdown", config);
        var cancelled = false;
        var later = false;
        system.CoordinatedShutdown.AddTask(CoordinatedShutdown.PhaseDrainHandlers, "hangs", async token =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
        });
        system.CoordinatedShutdown.AddTask(CoordinatedShutdown.PhaseCloseConnections, "after", _ =>
        {
            later = true;
            return Task.CompletedTask;
        });
        await system.Terminate();
        Assert.True(later);
        Assert.True(cancelled);
    }

    [Fact]
    public async Task A_failing_task_must_not_stop_the_shutdown()
    {
        var system = ActorSystem.Create("shutdown");
        system.CoordinatedShutdown.AddTask(CoordinatedShutdown.PhaseStopConsuming, "throws", _ => throw new InvalidOperationException("nope"));
        await system.Terminate();
        Assert.True(system.WhenTerminated.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task AddTask_must_reject_unknown_phases_and_late_tasks()
    {
        var system = ActorSystem.Create("shutdown");
        var unknown = Assert.Throws<ArgumentException>(() => system.CoordinatedShutdown.AddTask("no-such-phase", "x", _ => Task.CompletedTask));
        Assert.Contains("stop-consuming", unknown.Message);
        var terminating = system.Terminate();
        Assert.Throws<InvalidOperationException>(() => system.CoordinatedShutdown.AddTask(CoordinatedShutdown.PhaseStopConsuming, "late", _ => Task.CompletedTask));
        await terminating;
        Assert.Same(terminating, system.Terminate());
    }

    [Fact]
    public async Task Terminate_from_inside_an_actor_must_not_deadlock()
    {
        var system = ActorSystem.Create("shutdown");
        system.ActorOf(Props.Create(() => new Terminator()), "terminator").Tell("go");
        await system.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Custom_phases_from_configuration_must_be_used()
    {
        var config = ActorMq.Hocon.ConfigFactory.ParseString("actormq.actors.coordinated-shutdown.phases = [one, two]");
        await using var system = ActorSystem.Create("shutdown", config);
        Assert.Equal(["one", "two"], system.CoordinatedShutdown.Phases);
    }

    private sealed class Terminator : ReceiveActor
    {
        public Terminator() => Receive<string>(_ => Context.System.Terminate());
    }
}
