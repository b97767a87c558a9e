namespace ActorMq.Actors.Tests.TestKit;

public sealed class TestKitSpec : ActorTestKit
{
    public TestKitSpec() : base("actormq.test.single-expect-default = 300ms")
    {
    }

    [Fact]
    public async Task ExpectMsgAsync_must_fail_on_a_message_of_another_type()
    {
        TestActor.Tell(1);
        var e = await Assert.ThrowsAsync<TestKitException>(() => ExpectMsgAsync<string>());
        Assert.Contains("Int32", e.Message);
    }

    [Fact]
    public async Task ExpectMsgAsync_must_fail_after_the_configured_default_timeout()
    {
        var e = await Assert.ThrowsAsync<TestKitException>(() => ExpectMsgAsync<string>());
        Assert.Contains($"({300 * TestKitSettings.TimeFactor:0} ms)", e.Message);
    }

    [Fact]
    public async Task ExpectMsgAsync_with_a_predicate_must_fail_when_it_does_not_hold()
    {
        TestActor.Tell("abc");
        await Assert.ThrowsAsync<TestKitException>(() => ExpectMsgAsync<string>(s => s.Length == 2));
        TestActor.Tell("ab");
        Assert.Equal("ab", await ExpectMsgAsync<string>(s => s.Length == 2));
    }

    [Fact]
    public async Task ExpectNoMsgAsync_must_fail_when_a_message_arrives()
    {
        TestActor.Tell("surprise");
        await Assert.ThrowsAsync<TestKitException>(() => ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task ReceiveNAsync_must_return_messages_in_order_or_fail_when_too_few_arrive()
    {
        TestActor.Tell(1);
        TestActor.Tell(2);
        Assert.Equal([1, 2], await ReceiveNAsync(2));
        TestActor.Tell(3);
        var e = await Assert.ThrowsAsync<TestKitException>(() => ReceiveNAsync(2, TimeSpan.FromMilliseconds(100)));
        Assert.Contains("1 of 2", e.Message);
    }

    [Fact]
    public async Task FishForMessageAsync_must_skip_until_a_match()
    {
        foreach (var m in new object[] { "a", 1, "b", 2 }) TestActor.Tell(m);
        Assert.Equal(2, await FishForMessageAsync<int>(n => n > 1));
    }

    [Fact]
    public async Task TestProbe_must_reply_to_and_forward_with_the_original_sender()
    {
        var probe = CreateTestProbe();
        probe.Ref.Tell("question", TestActor);
        await probe.ExpectMsgAsync("question");
        Assert.Equal(TestActor, probe.LastSender);
        probe.Reply("answer");
        await ExpectMsgAsync("answer");
        Assert.Equal(probe.Ref, LastSender);

        var other = CreateTestProbe();
        probe.Forward(other.Ref);
        await other.ExpectMsgAsync("question");
        Assert.Equal(TestActor, other.LastSender);
    }

    [Fact]
    public async Task Watch_must_deliver_Terminated_to_the_test_actor()
    {
        var probe = CreateTestProbe();
        Watch(probe.Ref);
        Sys.Stop(probe.Ref);
        var terminated = await ExpectTerminatedAsync(probe.Ref);
        Assert.Equal(probe.Ref, terminated.ActorRef);
    }

    [Fact]
    public async Task WithinAsync_must_fail_when_the_block_is_too_fast_or_too_slow()
    {
        await Assert.ThrowsAsync<TestKitException>(() => WithinAsync(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), () => Task.CompletedTask));
        await Assert.ThrowsAsync<TestKitException>(() => WithinAsync(TimeSpan.FromMilliseconds(50), () => ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300))));
        TestActor.Tell("quick");
        await WithinAsync(TimeSpan.FromSeconds(5), () => ExpectMsgAsync<string>());
    }

    [Fact]
    public async Task WithinAsync_must_bound_the_timeout_of_nested_expectations()
    {
        var e = await Assert.ThrowsAsync<TestKitException>(() => WithinAsync(TimeSpan.FromMilliseconds(100), () => ExpectMsgAsync<string>()));
        Assert.Contains("Timeout", e.Message);
    }

    [Fact]
    public async Task AwaitAssertAsync_must_retry_until_the_assertion_holds_and_rethrow_the_last_failure()
    {
        var attempts = 0;
        await AwaitAssertAsync(() => Assert.True(++attempts >= 3));
        Assert.Equal(3, attempts);
        await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => AwaitAssertAsync(() => Assert.Equal(1, 2), TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task AwaitConditionAsync_must_wait_for_the_condition_or_fail_with_the_message()
    {
        var flag = 0;
        _ = Task.Run(() => Interlocked.Exchange(ref flag, 1));
        await AwaitConditionAsync(() => Volatile.Read(ref flag) == 1);
        var e = await Assert.ThrowsAsync<TestKitException>(() => AwaitConditionAsync(() => false, TimeSpan.FromMilliseconds(50), "never true"));
        Assert.Contains("never true", e.Message);
    }

    [Fact]
    public async Task EventFilter_must_fail_when_the_expected_error_is_not_logged()
    {
        await Assert.ThrowsAsync<TestKitException>(() => EventFilter.Error<InvalidOperationException>().ExpectOneAsync(() => { }, TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task EventFilter_must_fail_when_more_dead_letters_arrive_than_expected()
    {
        await Assert.ThrowsAsync<TestKitException>(() => EventFilter.DeadLetter<string>().ExpectOneAsync(() =>
        {
            Sys.DeadLetters.Tell("one");
            Sys.DeadLetters.Tell("two");
        }));
    }
}
