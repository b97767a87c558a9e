using ActorMq.Consuming;
using ActorMq.Diagnostics;
using ActorMq.Retry;
using ActorMq.Settings;
using ActorMq.Tests.Settings;
using ActorMq.Tests.Shared;
using ActorMq.Topology;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.TestKit;
using RabbitMQ.Client;
using Xunit;

namespace ActorMq.Tests.Consuming;

/// <summary>
/// The breaker's hold / suspect / probe logic the actor consumer and the stream source share, in virtual time (Akka's
/// TestScheduler): the gate lives in a small host actor, as it does in its two owners, and is driven through its mailbox.
/// </summary>
public sealed class BreakerGateSpec : ActorMqTestKit
{
    private static readonly ConsumerSettings Consumer = ActorMqSettings.Create(Conf.Of("""
        actormq.consumers.payments {
          retry.permanent-exceptions = [FormatException]
          circuit-breaker { enabled = on, max-failures = 3, within = 10s, reset-timeout = 5s, max-reset-timeout = 20s, max-hold = 1m }
        }
        """)).Consumers.Single();

    private static readonly RetryPolicy Policy = new(Consumer.Queue, Consumer.Retry,
        new TopologyNames("{queue}.retry.{delay}", "{exchange}.delay.{delay}", "{exchange}.{group}"));

    private readonly TestScheduler _scheduler;
    private readonly IActorRef _host;
    private int _tag;

    public BreakerGateSpec() : base(ConfigurationFactory.ParseString("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\""))
    {
        _scheduler = (TestScheduler)Sys.Scheduler;
        _host = Sys.ActorOf(Props.Create(() => new GateHost(TestActor)));
    }

    private Delivery NewDelivery() => new(1, (ulong)Interlocked.Increment(ref _tag), false, "", Consumer.Queue, new BasicProperties(), ReadOnlyMemory<byte>.Empty);

    /// <summary>Runs <paramref name="action"/> on the gate inside its host (its owner's mailbox) and returns the result.</summary>
    private async Task<T> OnGateAsync<T>(Func<BreakerGate<string>, T> action)
    {
        _host.Tell(new Run(gate => action(gate)!), TestActor);
        return (T)(await ExpectMsgAsync<Ran>(TimeSpan.FromSeconds(10))).Result;
    }

    private Task<BreakerVerdict> FailAsync(Delivery delivery, Exception? error = null, bool markedPermanent = false) =>
        OnGateAsync(g => g.Failed(delivery, $"failure of {delivery.DeliveryTag}", error ?? new TimeoutException("no answer"), markedPermanent));

    /// <summary>A failure saying the downstream is unavailable: the breaker opens at once.</summary>
    private async Task TripAsync(Delivery delivery)
    {
        Assert.Equal(BreakerVerdict.Held, await FailAsync(delivery, new DownstreamUnavailableException("the ledger is in maintenance")));
        await ExpectTransitionAsync(BreakerState.Open);
    }

    private Task<Delivery?> TakeProbeAsync() => OnGateAsync(g => g.TryTakeProbe(out var p) ? p : null);

    private async Task<BreakerTransition<string>> ExpectTransitionAsync(BreakerState state) =>
        await FishForMessageAsync<BreakerTransition<string>>(t => t.State == state, TimeSpan.FromSeconds(10));

    [Fact]
    public async Task A_failure_waits_as_a_suspect_and_the_next_success_releases_it_the_ordinary_way()
    {
        var failed = NewDelivery();
        Assert.Equal(BreakerVerdict.Suspect, await FailAsync(failed));
        Assert.Equal(1, await OnGateAsync(g => g.SuspectCount));

        var released = await OnGateAsync(g => g.Succeeded(NewDelivery(), TimeSpan.FromMilliseconds(5)));

        Assert.Equal([$"failure of {failed.DeliveryTag}"], released);
        Assert.Equal((0, BreakerState.Closed), await OnGateAsync(g => (g.SuspectCount, g.State)));
    }

    [Fact]
    public async Task Suspects_are_released_when_within_passes_without_another_failure()
    {
        var first = NewDelivery();
        await FailAsync(first);
        _scheduler.Advance(TimeSpan.FromSeconds(6));
        var second = NewDelivery();
        await FailAsync(second); // the window starts again from the latest failure
        _scheduler.Advance(TimeSpan.FromSeconds(6));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));

        _scheduler.Advance(TimeSpan.FromSeconds(4));

        var released = await ExpectMsgAsync<Released>(TimeSpan.FromSeconds(10));
        Assert.Equal([$"failure of {first.DeliveryTag}", $"failure of {second.DeliveryTag}"], released.Failures);
        Assert.Equal(BreakerState.Closed, await OnGateAsync(g => g.State));
    }

    [Fact]
    public async Task Max_failures_open_it_hold_suspects_and_arrivals_and_half_open_lets_one_probe_through_whose_success_releases_all_in_order()
    {
        var (d1, d2, d3) = (NewDelivery(), NewDelivery(), NewDelivery());
        Assert.Equal(BreakerVerdict.Suspect, await FailAsync(d1));
        Assert.Equal(BreakerVerdict.Suspect, await FailAsync(d2));
        Assert.Equal(BreakerVerdict.Held, await FailAsync(d3));

        var opened = await ExpectTransitionAsync(BreakerState.Open);
        Assert.Equal([$"failure of {d1.DeliveryTag}", $"failure of {d2.DeliveryTag}"], opened.NowHeld); // not settled: held
        var d4 = NewDelivery();
        Assert.True(await OnGateAsync(g => g.HoldArrival(d4)));
        Assert.Equal((4, 0, false), await OnGateAsync(g => (g.HeldCount, g.SuspectCount, g.ProbeDue)));

        _scheduler.Advance(TimeSpan.FromSeconds(5));
        await ExpectTransitionAsync(BreakerState.HalfOpen);
        var probe = await TakeProbeAsync();
        Assert.Same(d1, probe); // the oldest held delivery
        Assert.False(await OnGateAsync(g => g.ProbeDue)); // one probe at a time
        Assert.False(await OnGateAsync(g => g.TryTakeProbe(out _)));

        Assert.Empty(await OnGateAsync(g => g.Succeeded(d1, TimeSpan.FromMilliseconds(5))));

        var closed = await ExpectTransitionAsync(BreakerState.Closed);
        Assert.Equal([d2, d3, d4], closed.Released);
        Assert.Equal(0, await OnGateAsync(g => g.HeldCount));
        Assert.False(await OnGateAsync(g => g.HoldArrival(NewDelivery())));
    }

    [Fact]
    public async Task A_failed_probe_is_held_again_and_the_breaker_opens_again()
    {
        var held = NewDelivery();
        await TripAsync(held);
        _scheduler.Advance(TimeSpan.FromSeconds(5));
        await ExpectTransitionAsync(BreakerState.HalfOpen);
        var probe = await TakeProbeAsync();
        Assert.Same(held, probe);

        Assert.Equal(BreakerVerdict.Held, await FailAsync(probe!));

        await ExpectTransitionAsync(BreakerState.Open);
        Assert.Equal((1, BreakerState.Open), await OnGateAsync(g => (g.HeldCount, g.State)));
        _scheduler.Advance(TimeSpan.FromSeconds(9)); // the open time doubled after the failed probe
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        _scheduler.Advance(TimeSpan.FromSeconds(1));
        await ExpectTransitionAsync(BreakerState.HalfOpen);
        Assert.True(await OnGateAsync(g => g.ProbeDue));
    }

    [Fact]
    public async Task Permanent_failures_never_count_whether_marked_or_listed_in_the_retry_policys_permanent_exceptions()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(BreakerVerdict.Settle, await FailAsync(NewDelivery(), new FormatException("not a number"))); // permanent-exceptions
            Assert.Equal(BreakerVerdict.Settle, await FailAsync(NewDelivery(), new InvalidOperationException("bad"), markedPermanent: true));
            Assert.Equal(BreakerVerdict.Settle, await FailAsync(NewDelivery(), new PermanentFailureException("unreadable body")));
        }

        Assert.Equal((BreakerState.Closed, 0), await OnGateAsync(g => (g.State, g.SuspectCount)));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_probe_that_fails_permanently_or_is_given_back_lets_the_next_probe_go()
    {
        var (d1, d2) = (NewDelivery(), NewDelivery());
        await TripAsync(d1);
        await OnGateAsync(g => g.HoldArrival(d2));
        _scheduler.Advance(TimeSpan.FromSeconds(5));
        await ExpectTransitionAsync(BreakerState.HalfOpen);

        Assert.Same(d1, await TakeProbeAsync());
        Assert.Equal(BreakerVerdict.Settle, await FailAsync(d1, new FormatException("bad payload")));
        Assert.Same(d2, await TakeProbeAsync());
        await OnGateAsync(g => { g.ForgetProbe(d2); return 0; });
        Assert.Equal((true, BreakerState.HalfOpen), await OnGateAsync(g => (g.ProbeDue, g.State)));
    }

    [Fact]
    public async Task A_DownstreamUnavailableException_inside_an_aggregate_opens_it_at_once()
    {
        var error = new AggregateException(new InvalidOperationException("first"), new HttpRequestException("x", new DownstreamUnavailableException("down")));
        Assert.Equal(BreakerVerdict.Held, await FailAsync(NewDelivery(), error));
        await ExpectTransitionAsync(BreakerState.Open);
    }

    [Fact]
    public async Task Deliveries_held_longer_than_max_hold_are_handed_back_and_the_rest_stay_held()
    {
        var old = NewDelivery();
        await TripAsync(old);
        _scheduler.Advance(TimeSpan.FromSeconds(30));
        var young = NewDelivery();
        await OnGateAsync(g => g.HoldArrival(young));
        await FishForMessageAsync<BreakerTransition<string>>(t => t.State == BreakerState.HalfOpen, TimeSpan.FromSeconds(10));

        _scheduler.Advance(TimeSpan.FromSeconds(31)); // checked every max-hold / 10 = 6 s

        var given = await FishForMessageAsync<GivenBack>(_ => true, TimeSpan.FromSeconds(10));
        Assert.Equal([old], given.Deliveries);
        Assert.Equal(1, await OnGateAsync(g => g.HeldCount));
        _scheduler.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal([young], (await FishForMessageAsync<GivenBack>(_ => true, TimeSpan.FromSeconds(10))).Deliveries);
        Assert.Equal(0, await OnGateAsync(g => g.HeldCount));
    }

    [Fact]
    public async Task Clear_forgets_holds_and_suspects_of_a_lost_channel_and_keeps_the_breaker_state()
    {
        await FailAsync(NewDelivery());
        await FailAsync(NewDelivery(), new DownstreamUnavailableException("down"));
        await ExpectTransitionAsync(BreakerState.Open);
        await FailAsync(NewDelivery());
        Assert.Equal(3, await OnGateAsync(g => g.HeldCount)); // the suspect, the failure that opened it and one failed while open

        var taken = await OnGateAsync(g => g.Clear());
        Assert.Equal(3, taken.Held.Count);
        Assert.Empty(taken.Suspects);

        Assert.Equal((0, 0, BreakerState.Open), await OnGateAsync(g => (g.HeldCount, g.SuspectCount, g.State)));
        Assert.True(await OnGateAsync(g => g.HoldArrival(NewDelivery()))); // a new channel's arrivals are held until a probe
    }

    [Fact]
    public async Task Clear_hands_back_the_suspects_of_a_lost_channel()
    {
        var suspect = NewDelivery();
        await FailAsync(suspect);

        Assert.Equal([$"failure of {suspect.DeliveryTag}"], (await OnGateAsync(g => g.Clear())).Suspects);

        _scheduler.Advance(TimeSpan.FromSeconds(11));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200)); // the window's timer went with them
    }

    private sealed record Run(Func<BreakerGate<string>, object> Action);

    private sealed record Ran(object Result);

    private sealed record Released(IReadOnlyList<string> Failures);

    private sealed record GivenBack(IReadOnlyList<Delivery> Deliveries);

    /// <summary>Owns a gate as ConsumerActor and the stream source do; reports what the gate's messages bring to the test.</summary>
    private sealed class GateHost : ReceiveActor, IWithTimers
    {
        private BreakerGate<string> _gate = null!;

        public GateHost(IActorRef test)
        {
            Receive<Run>(run => Sender.Tell(new Ran(run.Action(_gate))));
            Receive<BreakerGateChanged>(_ => { if (_gate.Apply() is { } transition) test.Tell(transition); });
            Receive<BreakerSuspectsExpired>(_ => test.Tell(new Released(_gate.ReleaseSuspects())));
            Receive<BreakerHeldCheck>(_ =>
            {
                var given = _gate.TakeHeldTooLong();
                if (given.Count > 0) test.Tell(new GivenBack(given));
            });
        }

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart() =>
            _gate = new BreakerGate<string>(Consumer, Policy.IsPermanent, Self, Context.System, Timers, Context.GetLogger(), new ActorMqInstruments());
    }
}
