using Akka.Actor;
using Akka.Event;
using ActorMq.Diagnostics;
using ActorMq.Settings;

namespace ActorMq.Consuming;

/// <summary>What a consumer does with a failure after <see cref="BreakerGate{TFailure}.Failed"/>.</summary>
internal enum BreakerVerdict
{
    /// <summary>The ordinary way (retry tier or dead store): a permanent failure, which never counts for the breaker.</summary>
    Settle,

    /// <summary>Counted; the breaker is still closed, so the failure waits as a suspect, unacked (<see cref="BreakerGate{TFailure}.ReleaseSuspects"/> lets it go).</summary>
    Suspect,

    /// <summary>Counted; the breaker is not closed, so the delivery is held unacked for the next probe: no attempt counted.</summary>
    Held,
}

/// <summary>
/// The consumer circuit breaker's hold / suspect / probe logic, one for the actor consumer (<see cref="ConsumerActor"/>) and
/// the stream source (ActorMq.Streams' committable consumer): the owning actor reports each delivery's arrival and outcome
/// and does what the gate answers. A non-permanent failure (the retry policy's own permanent check decides, so
/// <c>permanent-exceptions</c> never count) is told to <see cref="ConsumerBreaker"/>; while the breaker is closed it waits
/// as a suspect until the next success shows the downstream works (then it goes the ordinary way, as it does when
/// <c>within</c> passes without another failure). When the breaker opens the suspects, later failures and new arrivals are
/// held unacked (the oldest first) until half-open lets one probe through; closing releases what is held, in order.
/// Deliveries held longer than <c>max-hold</c> are handed back for a nack with requeue.
/// The gate runs in its owner's mailbox: its timers are the owner's (<see cref="IWithTimers"/>), its timer and state-change
/// messages (<see cref="BreakerGateChanged"/>, <see cref="BreakerSuspectsExpired"/>, <see cref="BreakerHeldCheck"/>) go to
/// the owner, which calls <see cref="Apply()"/>, <see cref="ReleaseSuspects"/> and <see cref="TakeHeldTooLong"/> for them.
/// </summary>
/// <typeparam name="TFailure">What the owner keeps of a suspected failure to settle it later.</typeparam>
internal sealed class BreakerGate<TFailure>
{
    private const string SuspectsTimer = "breaker-suspects";
    private const string HeldTimer = "breaker-held";
    private readonly ConsumerBreaker _breaker;
    private readonly ConsumerSettings _consumer;
    private readonly CircuitBreakerSettings _settings;
    private readonly Func<Exception, bool> _isPermanent;
    private readonly IScheduler _scheduler;
    private readonly ITimerScheduler _timers;
    private readonly EventStream _events;
    private readonly ILoggingAdapter _log;
    private readonly ActorMqInstruments _instruments;
    private readonly LinkedList<(Delivery Delivery, DateTimeOffset HeldAt)> _held = new();
    private readonly List<(Delivery Delivery, TFailure Failure)> _suspects = [];
    private BreakerState _applied = BreakerState.Closed;

    /// <param name="consumer">The consumer (its name, queue and <c>circuit-breaker</c> settings).</param>
    /// <param name="isPermanent">The consumer's retry policy's permanent check (<see cref="Retry.RetryPolicy.IsPermanent"/>).</param>
    /// <param name="owner">The owning actor: told <see cref="BreakerGateChanged"/> and the timer messages.</param>
    /// <param name="system">Its system (scheduler, event stream).</param>
    /// <param name="timers">The owner's timers.</param>
    /// <param name="log">The owner's log.</param>
    /// <param name="instruments">Metrics of the client (<c>actormq.consumer.breaker.state</c>).</param>
    public BreakerGate(ConsumerSettings consumer, Func<Exception, bool> isPermanent, IActorRef owner, ActorSystem system, ITimerScheduler timers,
        ILoggingAdapter log, ActorMqInstruments instruments)
    {
        _consumer = consumer;
        _settings = consumer.CircuitBreaker;
        _isPermanent = isPermanent;
        _scheduler = system.Scheduler;
        _timers = timers;
        _events = system.EventStream;
        _log = log;
        _instruments = instruments;
        _breaker = new ConsumerBreaker(_settings, _scheduler, state => owner.Tell(new BreakerGateChanged(state)));
    }

    /// <summary>The breaker's state now (the owner may not have applied it yet).</summary>
    public BreakerState State => _breaker.State;

    /// <summary>True while the breaker is closed: deliveries flow as usual.</summary>
    public bool IsClosed => _breaker.State == BreakerState.Closed;

    /// <summary>Deliveries held unacked while the breaker is not closed.</summary>
    public int HeldCount => _held.Count;

    /// <summary>Failures waiting to see whether the breaker opens.</summary>
    public int SuspectCount => _suspects.Count;

    /// <summary>True while the breaker keeps the owner's broker consumer cancelled (the owner sends basic.cancel / basic.consume).</summary>
    public bool Paused { get; private set; }

    /// <summary>A new channel: the owner consumes on it only when this is false (an open breaker stays open across channels).</summary>
    public bool PauseOnNewChannel() => Paused = !IsClosed;

    /// <summary>The breaker opened: true when the owner must cancel its broker consumer now (it was consuming).</summary>
    public bool TryPause()
    {
        if (Paused) return false;
        Paused = true;
        return true;
    }

    /// <summary>A probe is due with nothing held, or the breaker closed: true when the owner must consume again now.</summary>
    public bool TryResume()
    {
        if (!Paused) return false;
        Paused = false;
        return true;
    }

    /// <summary>The probe in flight, if any.</summary>
    public Delivery? Probe { get; private set; }

    /// <summary>Half-open and no probe in flight: the owner sends the first held delivery (<see cref="TryTakeProbe"/>) or, holding none, consumes to get one.</summary>
    public bool ProbeDue => _breaker.State == BreakerState.HalfOpen && Probe is null;

    /// <summary>
    /// A delivery arrived from the broker. Returns true when the gate holds it (the breaker is not closed): the owner does not
    /// pass it on, and should try a probe (<see cref="ProbeDue"/>).
    /// </summary>
    public bool HoldArrival(Delivery delivery)
    {
        if (IsClosed) return false;
        Hold(delivery, oldestFirst: false);
        return true;
    }

    /// <summary>
    /// <paramref name="delivery"/> succeeded after <paramref name="elapsed"/>. Returns the suspects the owner now settles the
    /// ordinary way (the breaker is closed: the downstream works, those failures were the messages').
    /// </summary>
    public IReadOnlyList<TFailure> Succeeded(Delivery delivery, TimeSpan elapsed)
    {
        ForgetProbe(delivery);
        _breaker.Succeeded(elapsed);
        return IsClosed ? ReleaseSuspects() : [];
    }

    /// <summary>
    /// <paramref name="delivery"/> failed with <paramref name="error"/>. Permanent (<paramref name="markedPermanent"/> or the
    /// retry policy's check): <see cref="BreakerVerdict.Settle"/>, not counted. Otherwise it counts (a
    /// <see cref="DownstreamUnavailableException"/> opens the breaker at once) and is a suspect or held.
    /// </summary>
    public BreakerVerdict Failed(Delivery delivery, TFailure failure, Exception error, bool markedPermanent)
    {
        ForgetProbe(delivery);
        if (markedPermanent || _isPermanent(error)) return BreakerVerdict.Settle;
        if (IsDownstreamUnavailable(error)) _breaker.Trip();
        else _breaker.Failed();
        if (IsClosed)
        {
            // Not yet an outage: wait for the next success (then it is the message's failure) or for `within` to pass.
            _suspects.Add((delivery, failure));
            _timers.StartSingleTimer(SuspectsTimer, BreakerSuspectsExpired.Instance, _settings.Within);
            return BreakerVerdict.Suspect;
        }
        Hold(delivery, oldestFirst: true);
        return BreakerVerdict.Held;
    }

    /// <summary>The delivery left without a success or a counted failure (a permanent reject, given back): another probe may go.</summary>
    public void ForgetProbe(Delivery delivery)
    {
        if (ReferenceEquals(Probe, delivery)) Probe = null;
    }

    /// <summary>The suspects go the ordinary way (the breaker did not open, or <c>within</c> passed): the owner settles them.</summary>
    public IReadOnlyList<TFailure> ReleaseSuspects()
    {
        _timers.Cancel(SuspectsTimer);
        if (_suspects.Count == 0) return [];
        var released = _suspects.Select(s => s.Failure).ToList();
        _suspects.Clear();
        return released;
    }

    /// <summary>Holds a delivery in hand (one the owner had not started) until the next probe.</summary>
    public void Hold(Delivery delivery, bool oldestFirst)
    {
        var entry = (delivery, _scheduler.Now);
        if (oldestFirst) _held.AddFirst(entry); else _held.AddLast(entry);
        if (!_timers.IsTimerActive(HeldTimer))
            _timers.StartPeriodicTimer(HeldTimer, BreakerHeldCheck.Instance,
                TimeSpan.FromTicks(Math.Max(_settings.MaxHold.Ticks / 10, TimeSpan.TicksPerMillisecond * 100)));
    }

    /// <summary>When <see cref="ProbeDue"/>: takes the oldest held delivery as the probe (false when none is held).</summary>
    public bool TryTakeProbe(out Delivery probe)
    {
        probe = null!;
        if (!ProbeDue || _held.First is not { } first) return false;
        _held.RemoveFirst();
        probe = first.Value.Delivery;
        Probe = probe;
        return true;
    }

    /// <summary>
    /// Brings the gate in line with the breaker's state; null when nothing changed since the last call. Opening holds the
    /// suspects (<see cref="BreakerTransition{TFailure}.NowHeld"/>: not settled, no attempt counted); closing releases every held
    /// delivery, the oldest first (<see cref="BreakerTransition{TFailure}.Released"/>). Owners call the other overload, which
    /// also announces the change.
    /// </summary>
    public BreakerTransition<TFailure>? Apply()
    {
        var state = _breaker.State;
        if (state == _applied) return null;
        _applied = state;
        IReadOnlyList<TFailure> nowHeld = [];
        IReadOnlyList<Delivery> released = [];
        switch (state)
        {
            case BreakerState.Open:
                for (var i = _suspects.Count - 1; i >= 0; i--) Hold(_suspects[i].Delivery, oldestFirst: true);
                nowHeld = ReleaseSuspects();
                break;
            case BreakerState.Closed:
                released = _held.Select(h => h.Delivery).ToList();
                _held.Clear();
                _timers.Cancel(HeldTimer);
                break;
        }
        return new BreakerTransition<TFailure>(state, nowHeld, released);
    }

    /// <summary>
    /// Brings the owner in line with the breaker's state: opened, it pauses its consumer and holds what it has in hand
    /// (<paramref name="opened"/> gets the suspects now held); half-open or unchanged, it tries a probe; closed, it handles
    /// the released deliveries (the oldest first) and resumes (<paramref name="closed"/>). Then the change is announced.
    /// </summary>
    public void Apply(Action<IReadOnlyList<TFailure>> opened, Action<IReadOnlyList<Delivery>> closed, Action tryProbe)
    {
        if (Apply() is not { } transition)
        {
            tryProbe();
            return;
        }
        switch (transition.State)
        {
            case BreakerState.Open:
                opened(transition.NowHeld);
                break;
            case BreakerState.HalfOpen:
                tryProbe();
                break;
            case BreakerState.Closed:
                closed(transition.Released);
                break;
        }
        Announce(transition);
    }

    /// <summary>Logs the change (closing: with the deliveries released), sets the breaker gauge and publishes <see cref="ConsumerBreakerChanged"/>.</summary>
    private void Announce(BreakerTransition<TFailure> transition)
    {
        var state = transition.State;
        Log.BreakerChanged(_log, _consumer.Name, _consumer.Queue, state, state == BreakerState.Closed ? transition.Released.Count : _held.Count,
            _breaker.CurrentResetTimeout);
        _instruments.SetBreakerState(_consumer.Name, _consumer.Queue, state);
        _events.Publish(new ConsumerBreakerChanged(_consumer.Name, _consumer.Queue, state, _held.Count));
    }

    /// <summary>
    /// Takes the deliveries held longer than <c>max-hold</c>, for the owner to give back (nack with requeue) before the
    /// broker's <c>consumer_timeout</c> would take the channel.
    /// </summary>
    public IReadOnlyList<Delivery> TakeHeldTooLong()
    {
        var now = _scheduler.Now;
        var taken = new List<Delivery>();
        // Held in failure order, not time order, at the front: look through all of them.
        for (var node = _held.First; node is not null;)
        {
            var next = node.Next;
            if (now - node.Value.HeldAt >= _settings.MaxHold)
            {
                _held.Remove(node);
                taken.Add(node.Value.Delivery);
            }
            node = next;
        }
        if (taken.Count > 0) Log.HeldTooLong(_log, _consumer.Name, _consumer.Queue, taken.Count, _settings.MaxHold);
        if (_held.Count == 0) _timers.Cancel(HeldTimer);
        return taken;
    }

    /// <summary>
    /// The channel is gone (or the consumer stops): takes what is held and the suspects, for the owner to give back or to
    /// leave to the broker's redelivery. The breaker keeps its state (an open breaker stays open across channels).
    /// </summary>
    public BreakerHoldings<TFailure> Clear()
    {
        var held = _held.Select(h => h.Delivery).ToList();
        _held.Clear();
        _timers.Cancel(HeldTimer);
        Probe = null;
        Paused = false;
        return new BreakerHoldings<TFailure>(held, ReleaseSuspects());
    }

    private static bool IsDownstreamUnavailable(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
            if (e is DownstreamUnavailableException) return true;
        return error is AggregateException aggregate && aggregate.InnerExceptions.Any(IsDownstreamUnavailable);
    }
}

/// <summary>A change <see cref="BreakerGate{TFailure}.Apply()"/> made.</summary>
/// <param name="State">The state applied.</param>
/// <param name="NowHeld">Opened: the suspects now held (not settled).</param>
/// <param name="Released">Closed: the deliveries held until now, the oldest first, for the owner to handle.</param>
internal sealed record BreakerTransition<TFailure>(BreakerState State, IReadOnlyList<TFailure> NowHeld, IReadOnlyList<Delivery> Released);

/// <summary>What <see cref="BreakerGate{TFailure}.Clear"/> took: the held deliveries (the oldest first) and the suspects.</summary>
internal sealed record BreakerHoldings<TFailure>(IReadOnlyList<Delivery> Held, IReadOnlyList<TFailure> Suspects);

/// <summary>The breaker changed state (from Akka's scheduler), gate → owner: the owner calls <see cref="BreakerGate{TFailure}.Apply()"/>.</summary>
internal sealed record BreakerGateChanged(BreakerState State);

/// <summary>Timer, owner → owner: <c>within</c> passed without another failure; the owner settles <see cref="BreakerGate{TFailure}.ReleaseSuspects"/>.</summary>
internal sealed record BreakerSuspectsExpired
{
    public static BreakerSuspectsExpired Instance { get; } = new();
}

/// <summary>Periodic timer, owner → owner, while deliveries are held: the owner gives back <see cref="BreakerGate{TFailure}.TakeHeldTooLong"/>.</summary>
internal sealed record BreakerHeldCheck
{
    public static BreakerHeldCheck Instance { get; } = new();
}
