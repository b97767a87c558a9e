using ActorMq.Hocon;

namespace ActorMq.Actors.Tests;

public sealed class DispatcherSpec : ActorTestKit
{
    public DispatcherSpec() : base("""
        sqlite-writer { type = dedicated-thread, throughput = 5 }
        broken { type = fibers }
        """)
    {
    }

    private sealed class ThreadReporter : ReceiveActor
    {
        public ThreadReporter() => Receive<string>(_ => Sender.Tell((Thread.CurrentThread.Name ?? "", Thread.CurrentThread.IsThreadPoolThread)));
    }

    [Fact]
    public async Task Default_dispatcher_must_run_actors_on_the_thread_pool()
    {
        var actor = Sys.ActorOf(Props.Create<ThreadReporter>());
        actor.Tell("where", TestActor);
        var (_, pooled) = await ExpectMsgAsync<(string, bool)>();
        Assert.True(pooled);
    }

    [Fact]
    public async Task Dedicated_thread_dispatcher_must_run_the_actor_on_its_own_thread()
    {
        var actor = Sys.ActorOf(Props.Create<ThreadReporter>().WithDispatcher("sqlite-writer"));
        actor.Tell("where", TestActor);
        actor.Tell("again", TestActor);
        var (first, pooled) = await ExpectMsgAsync<(string, bool)>();
        var (second, _) = await ExpectMsgAsync<(string, bool)>();
        Assert.False(pooled);
        Assert.Equal("actormq:sqlite-writer", first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Unknown_or_invalid_dispatchers_must_fail_at_ActorOf_naming_the_path()
    {
        var missing = Assert.ThrowsAny<ConfigException>(() => Sys.ActorOf(Props.Create<ThreadReporter>().WithDispatcher("no.such.dispatcher")));
        Assert.Contains("no.such.dispatcher", missing.Message);
        var invalid = Assert.ThrowsAny<ConfigException>(() => Sys.ActorOf(Props.Create<ThreadReporter>().WithDispatcher("broken")));
        Assert.Contains("broken.type", invalid.Message);
        var mailbox = Assert.ThrowsAny<ConfigException>(() => Sys.ActorOf(Props.Create<ThreadReporter>().WithMailbox("no.such.mailbox")));
        Assert.Contains("no.such.mailbox", mailbox.Message);
    }
}
