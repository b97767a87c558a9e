namespace ActorMq.Actors.Tests;

public sealed class ReceiveActorSpec : ActorTestKit
{
    private sealed class Echo : ReceiveActor
    {
        public Echo()
        {
            Receive<int>(n => n < 0, n => Sender.Tell($"negative {n}"));
            Receive<int>(n => Sender.Tell(n * 2));
            Receive<string>(s => Sender.Tell(s.ToUpperInvariant()));
        }
    }

    private sealed class Any : ReceiveActor
    {
        public Any()
        {
            Receive<string>(s => Sender.Tell("string"));
            ReceiveAny(o => Sender.Tell($"any {o}"));
        }
    }

    private sealed class Switching : ReceiveActor
    {
        public Switching()
        {
            Receive<string>(s => s == "stack", _ => BecomeStacked(Stacked));
            Receive<string>(s => s == "become", _ => Become(Other));
            Receive<string>(_ => Sender.Tell("initial"));
        }

        private void Stacked()
        {
            Receive<string>(s => s == "unstack", _ => UnbecomeStacked());
            Receive<string>(_ => Sender.Tell("stacked"));
        }

        private void Other() => Receive<string>(_ => Sender.Tell("other"));
    }

    private sealed class AsyncWorker : ReceiveActor
    {
        public AsyncWorker(TaskCompletionSource gate)
        {
            ReceiveAsync<string>(async s =>
            {
                var sender = Sender;
                await gate.Task.ConfigureAwait(false);
                sender.Tell($"done {s}");
                Sender.Tell($"sender still valid {s}");
            });
            Receive<int>(n => Sender.Tell(n));
        }
    }

    private sealed class AsyncFailing : ReceiveActor
    {
        public AsyncFailing(IActorRef probe)
        {
            ReceiveAsync<string>(async s =>
            {
                await Task.Yield();
                throw new InvalidOperationException(s);
            });
            Receive<int>(n => Sender.Tell(n));
            probe.Tell("started");
        }
    }

    /// <summary>Awaits a task another actor completes (its continuation runs inline on that actor's thread), then tells the probe.</summary>
    private sealed class AwaitsOther : ReceiveActor
    {
        public AwaitsOther(IActorRef probe, TaskCompletionSource gate) => ReceiveAsync<string>(async _ =>
        {
            await gate.Task;
            probe.Tell("after await");
        });
    }

    private sealed class Completer : ReceiveActor
    {
        public Completer(TaskCompletionSource gate) => Receive<string>(_ => gate.SetResult());
    }

    private sealed class StartsElsewhere : ReceiveActor
    {
        public StartsElsewhere() => Become(Ready);

        private void Ready() => Receive<string>(s => Sender.Tell($"ready {s}"));
    }

    private sealed class LateRegistration : ReceiveActor
    {
        public LateRegistration()
        {
            Receive<string>(_ =>
            {
                try
                {
                    Receive<int>(_ => { });
                }
                catch (InvalidOperationException e)
                {
                    Sender.Tell(e.Message);
                }
            });
        }
    }

    [Fact]
    public async Task ReceiveActor_must_pick_the_first_handler_whose_type_and_predicate_match()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>());
        echo.Tell(-1, TestActor);
        echo.Tell(21, TestActor);
        echo.Tell("hi", TestActor);
        await ExpectMsgAsync("negative -1");
        await ExpectMsgAsync(42);
        await ExpectMsgAsync("HI");
    }

    [Fact]
    public async Task ReceiveAny_must_take_what_earlier_handlers_left()
    {
        var actor = Sys.ActorOf(Props.Create<Any>());
        actor.Tell("x", TestActor);
        actor.Tell(5, TestActor);
        await ExpectMsgAsync("string");
        await ExpectMsgAsync("any 5");
    }

    [Fact]
    public async Task Unhandled_messages_must_be_published_as_UnhandledMessage()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        var echo = Sys.ActorOf(Props.Create<Echo>());
        echo.Tell(3.5, TestActor);
        var unhandled = await ExpectMsgAsync<UnhandledMessage>();
        Assert.Equal(3.5, unhandled.Message);
        Assert.Equal(echo, unhandled.Recipient);
        Assert.Equal(TestActor, unhandled.Sender);
    }

    [Fact]
    public async Task Become_and_BecomeStacked_must_switch_behaviour_and_UnbecomeStacked_return()
    {
        var actor = Sys.ActorOf(Props.Create<Switching>());
        actor.Tell("hello", TestActor);
        await ExpectMsgAsync("initial");
        actor.Tell("stack", TestActor);
        actor.Tell("hello", TestActor);
        await ExpectMsgAsync("stacked");
        actor.Tell("unstack", TestActor);
        actor.Tell("hello", TestActor);
        await ExpectMsgAsync("initial");
        actor.Tell("become", TestActor);
        actor.Tell("hello", TestActor);
        await ExpectMsgAsync("other");
    }

    [Fact]
    public async Task Receive_must_refuse_registration_outside_the_constructor()
    {
        var actor = Sys.ActorOf(Props.Create<LateRegistration>());
        actor.Tell("go", TestActor);
        var message = await ExpectMsgAsync<string>();
        Assert.Contains("constructor", message);
    }

    [Fact]
    public async Task ReceiveAsync_must_suspend_the_mailbox_until_the_task_completes()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Sys.ActorOf(Props.Create(() => new AsyncWorker(gate)));
        actor.Tell("first", TestActor);
        actor.Tell(7, TestActor);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        gate.SetResult();
        await ExpectMsgAsync("done first");
        await ExpectMsgAsync("sender still valid first");
        await ExpectMsgAsync(7);
    }

    [Fact]
    public async Task ReceiveAsync_failure_must_go_to_the_supervisor_and_the_actor_continue_after_restart()
    {
        var actor = Sys.ActorOf(Props.Create(() => new AsyncFailing(TestActor)));
        await ExpectMsgAsync("started");
        await EventFilter.Error<InvalidOperationException>("boom").ExpectOneAsync(() => actor.Tell("boom", TestActor));
        await ExpectMsgAsync("started");
        actor.Tell(1, TestActor);
        await ExpectMsgAsync(1);
    }

    [Fact]
    public async Task Tell_after_an_await_in_ReceiveAsync_must_carry_the_awaiting_actor_as_sender()
    {
        var gate = new TaskCompletionSource(); // continuations run inline, on the completing actor's thread
        var waiting = Sys.ActorOf(Props.Create(() => new AwaitsOther(TestActor, gate)), "waiting");
        var completer = Sys.ActorOf(Props.Create(() => new Completer(gate)), "completer");
        waiting.Tell("wait");
        completer.Tell("complete");
        await ExpectMsgAsync("after await");
        Assert.Equal(waiting, LastSender);
    }

    [Fact]
    public async Task Become_in_the_constructor_must_set_the_initial_behaviour()
    {
        var actor = Sys.ActorOf(Props.Create<StartsElsewhere>());
        actor.Tell("go", TestActor);
        await ExpectMsgAsync("ready go");
    }
}
