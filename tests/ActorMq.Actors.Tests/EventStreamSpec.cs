namespace ActorMq.Actors.Tests;

public sealed class EventStreamSpec : ActorTestKit
{
    private abstract record Animal;

    private sealed record Cat : Animal;

    private sealed record Dog : Animal;

    [Fact]
    public async Task Subscribers_must_receive_events_of_their_type_and_subtypes_only()
    {
        var cats = CreateTestProbe();
        Assert.True(Sys.EventStream.Subscribe(cats.Ref, typeof(Cat)));
        Assert.True(Sys.EventStream.Subscribe(TestActor, typeof(Animal)));
        Assert.False(Sys.EventStream.Subscribe(TestActor, typeof(Animal)));
        Sys.EventStream.Publish(new Dog());
        Sys.EventStream.Publish(new Cat());
        await ExpectMsgAsync<Dog>();
        await ExpectMsgAsync<Cat>();
        await cats.ExpectMsgAsync<Cat>();
        await cats.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Unsubscribe_must_stop_delivery()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(Cat));
        Assert.True(Sys.EventStream.Unsubscribe(TestActor, typeof(Cat)));
        Assert.False(Sys.EventStream.Unsubscribe(TestActor, typeof(Cat)));
        Sys.EventStream.Publish(new Cat());
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Stopped_subscribers_must_be_unsubscribed()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(Cat));
        Watch(probe.Ref);
        Sys.Stop(probe.Ref);
        await ExpectTerminatedAsync(probe.Ref);
        Assert.False(Sys.EventStream.Unsubscribe(probe.Ref));
    }
}
