namespace ActorMq.Actors.Tests;

public sealed class AskSpec : ActorTestKit
{
    private sealed class Replier : ReceiveActor
    {
        public Replier()
        {
            Receive<int>(n => Sender.Tell(n + 1));
            Receive<string>(s => s == "fail", _ => Sender.Tell(new Status.Failure(new InvalidOperationException("refused"))));
            Receive<string>(s => s == "silent", _ => { });
            Receive<string>(s => Sender.Tell(s.Length));
        }
    }

    [Fact]
    public async Task Ask_must_return_the_reply()
    {
        var actor = Sys.ActorOf(Props.Create<Replier>());
        Assert.Equal(42, await actor.Ask<int>(41, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Ask_must_throw_AskTimeoutException_without_a_reply()
    {
        var actor = Sys.ActorOf(Props.Create<Replier>());
        var e = await Assert.ThrowsAsync<AskTimeoutException>(() => actor.Ask<int>("silent", TimeSpan.FromMilliseconds(100)));
        Assert.Contains(actor.Path.ToString(), e.Message);
        Assert.IsAssignableFrom<TimeoutException>(e);
    }

    [Fact]
    public async Task Ask_must_honour_cancellation()
    {
        var actor = Sys.ActorOf(Props.Create<Replier>());
        using var cancel = new CancellationTokenSource();
        var ask = actor.Ask<int>("silent", TimeSpan.FromSeconds(30), cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask);
    }

    [Fact]
    public async Task Ask_must_throw_the_cause_of_a_Status_Failure_reply()
    {
        var actor = Sys.ActorOf(Props.Create<Replier>());
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => actor.Ask<int>("fail", TimeSpan.FromSeconds(5)));
        Assert.Equal("refused", e.Message);
    }

    [Fact]
    public async Task Ask_must_reject_a_reply_of_the_wrong_type()
    {
        var actor = Sys.ActorOf(Props.Create<Replier>());
        await Assert.ThrowsAsync<InvalidCastException>(() => actor.Ask<string>(1, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task PipeTo_must_send_the_result_or_a_Status_Failure()
    {
        await Task.FromResult(5).PipeTo(TestActor);
        Assert.Equal(5, await ExpectMsgAsync<int>());
        await Task.FromException<int>(new InvalidOperationException("bad")).PipeTo(TestActor);
        var failure = await ExpectMsgAsync<Status.Failure>();
        Assert.Equal("bad", failure.Cause.Message);
    }

    [Fact]
    public async Task PipeTo_must_map_success_and_failure_and_keep_the_sender()
    {
        var probe = CreateTestProbe();
        await Task.FromResult(2).PipeTo(TestActor, probe.Ref, success: n => $"got {n}");
        Assert.Equal("got 2", await ExpectMsgAsync<string>());
        Assert.Equal(probe.Ref, LastSender);
        await Task.FromException(new TimeoutException()).PipeTo(TestActor, failure: e => e.GetType().Name);
        await ExpectMsgAsync("TimeoutException");
        await Task.CompletedTask.PipeTo(TestActor);
        await ExpectMsgAsync<Status.Success>();
    }
}
