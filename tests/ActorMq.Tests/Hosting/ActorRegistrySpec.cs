using ActorMq.Tests.Shared;
using Akka.Actor;
using ActorMq.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.Tests.Hosting;

public sealed class ActorRegistrySpec(ITestOutputHelper output) : ActorMqTestKit(output: output)
{
    private sealed class OrdersKey;

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }

    [Fact]
    public async Task An_actor_registered_by_key_type_must_be_found_by_it_and_not_by_another()
    {
        var registry = new ActorRegistry();
        var echo = Sys.ActorOf(Props.Create(() => new Echo()), "echo");
        registry.Register<OrdersKey>(echo);

        Assert.Same(echo, registry.Get<OrdersKey>());
        Assert.Equal("hi", await registry.Get<OrdersKey>().Ask<string>("hi", TimeSpan.FromSeconds(3)));
        Assert.False(registry.TryGet<ActorMqPublisher>(out _));
        Assert.False(registry.TryGet(typeof(OrdersKey).FullName!, out _));
    }

    [Fact]
    public void A_missing_key_must_be_named_in_the_error()
    {
        var registry = new ActorRegistry();
        Assert.Contains(typeof(OrdersKey).FullName!, Assert.Throws<KeyNotFoundException>(() => registry.Get<OrdersKey>()).Message);
        Assert.Contains("'billing'", Assert.Throws<KeyNotFoundException>(() => registry.Get("billing")).Message);
    }

    [Fact]
    public void A_second_registration_under_one_key_must_be_refused_naming_both_actors()
    {
        var registry = new ActorRegistry();
        var first = Sys.ActorOf(Props.Create(() => new Echo()), "first");
        var second = Sys.ActorOf(Props.Create(() => new Echo()), "second");
        registry.Register("billing", first);
        var error = Assert.Throws<InvalidOperationException>(() => registry.Register("billing", second));
        Assert.Contains("/user/first", error.Message);
        Assert.Contains("/user/second", error.Message);
        Assert.Same(first, registry.Get("billing"));
    }

    [Fact]
    public async Task GetAsync_must_wait_until_the_actor_is_registered()
    {
        var registry = new ActorRegistry();
        var pending = registry.GetAsync<OrdersKey>();
        Assert.False(pending.IsCompleted);
        var echo = Sys.ActorOf(Props.Create(() => new Echo()), "late");
        registry.Register<OrdersKey>(echo);
        Assert.Same(echo, await pending.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task GetAsync_must_honour_cancellation()
    {
        using var cts = new CancellationTokenSource();
        var pending = new ActorRegistry().GetAsync("never", cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }
}
