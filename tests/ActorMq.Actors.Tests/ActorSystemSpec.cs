using ActorMq.Hocon;

namespace ActorMq.Actors.Tests;

public sealed class ActorSystemSpec
{
    private sealed class Nothing : ReceiveActor
    {
        public Nothing() => Receive<string>(s => Sender.Tell(s));
    }

    [Fact]
    public async Task Settings_must_come_from_reference_conf_overridden_by_the_given_config()
    {
        await using var defaults = ActorSystem.Create("defaults");
        await using var custom = ActorSystem.Create("custom", ConfigFactory.ParseString("actormq.actors.stash-capacity = 7"));
        Assert.Equal(defaults.Config.GetInt("actormq.actors.stash-capacity"), defaults.Settings.StashCapacity);
        Assert.Equal(7, custom.Settings.StashCapacity);
        Assert.Equal(defaults.Settings.DeadLetterLogMax, custom.Settings.DeadLetterLogMax);
    }

    [Fact]
    public void Invalid_settings_must_fail_naming_the_HOCON_path()
    {
        var e = Assert.ThrowsAny<ConfigException>(() => ActorSystem.Create("bad", ConfigFactory.ParseString("actormq.actors.stash-capacity = -1")));
        Assert.Contains("actormq.actors.stash-capacity", e.Message);
        var timeout = Assert.ThrowsAny<ConfigException>(() => ActorSystem.Create("bad", ConfigFactory.ParseString("actormq.actors.dead-letters.log-interval = 0s")));
        Assert.Contains("actormq.actors.dead-letters.log-interval", timeout.Message);
        var phases = Assert.ThrowsAny<ConfigException>(() => ActorSystem.Create("bad", ConfigFactory.ParseString("actormq.actors.coordinated-shutdown.phases = [a, a]")));
        Assert.Contains("phases", phases.Message);
    }

    [Fact]
    public void System_names_must_be_validated()
    {
        Assert.Throws<ArgumentException>(() => ActorSystem.Create("has space"));
        Assert.Throws<ArgumentException>(() => ActorSystem.Create(""));
    }

    [Fact]
    public async Task ActorOf_must_name_actors_under_user_and_reject_duplicates_and_bad_names()
    {
        await using var system = ActorSystem.Create("names");
        var a = system.ActorOf(Props.Create<Nothing>(), "a");
        Assert.Equal("actormq://names/user/a", a.Path.ToString());
        Assert.Throws<InvalidActorNameException>(() => system.ActorOf(Props.Create<Nothing>(), "a"));
        Assert.Throws<InvalidActorNameException>(() => system.ActorOf(Props.Create<Nothing>(), "a/b"));
        Assert.Throws<InvalidActorNameException>(() => system.ActorOf(Props.Create<Nothing>(), "$x"));
        var generated = system.ActorOf(Props.Create<Nothing>());
        Assert.StartsWith("$", generated.Path.Name);
    }

    [Fact]
    public async Task Props_must_check_constructor_arguments_when_created()
    {
        Assert.Throws<ArgumentException>(() => Props.Create<Nothing>(42));
        await using var system = ActorSystem.Create("props");
        var withArgs = system.ActorOf(Props.Create<Greeter>("hello"));
        Assert.Equal("hello world", await withArgs.Ask<string>("world", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Actors_must_not_be_created_with_new()
    {
        Assert.Throws<InvalidOperationException>(() => new Nothing());
    }

    [Fact]
    public async Task DisposeAsync_must_terminate_the_system()
    {
        var system = ActorSystem.Create("dispose");
        await system.DisposeAsync();
        Assert.True(system.WhenTerminated.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => system.ActorOf(Props.Create<Nothing>()));
    }

    [Fact]
    public async Task Logger_factory_must_receive_the_kernel_logs()
    {
        var logs = new CapturedLogs();
        await using (var system = ActorSystem.Create("logs", null, new ActorSystemOptions { LoggerFactory = logs }))
        {
            system.ActorOf(Props.Create<Nothing>()).Tell(3);
        }
        Assert.Contains(logs.Since(0), e => e.Category == "ActorMq.Actors.ActorSystem" && e.Message.Contains("terminated", StringComparison.Ordinal));
    }

    private sealed class Greeter : ReceiveActor
    {
        public Greeter(string greeting) => Receive<string>(s => Sender.Tell($"{greeting} {s}"));
    }
}
