using Akka.Actor;
using Akka.Pattern;
using Akka.Event;
using ActorMq.Consuming;
using ActorMq.Publishing;
using ActorMq.Settings;
using ActorMq.Topology;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ActorMq.Connection;

/// <summary>
/// Owns the broker link: a publishing and a consuming connection (RabbitMQ.Client's own recovery off — this actor is
/// the one component that recovers). It connects across the configured endpoints with exponential backoff and
/// jitter, has the <see cref="TopologyActor"/> declare everything on every (re)connect, then sends
/// <see cref="LinkUp"/> to its channel owners: the publishers and one BackoffSupervisor per consumer (a channel error
/// restarts only that consumer, with backoff). On a lost connection it sends <see cref="LinkDown"/>, closes what is
/// left, and reconnects, for an outage of any length — unless <c>max-outage</c> is set and exceeded, or the broker
/// refuses access: then it reports <see cref="LinkState.Failed"/> (logged, on the event stream, in the health state)
/// and stops trying, never silently. <c>connection.blocked</c> is passed on to the publishers.
/// Answers <see cref="GetLinkState"/>. Child of <see cref="ActorMqActor"/>.
/// </summary>
internal sealed class ConnectionSupervisorActor : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ActorMqWiring _wiring;
    private readonly ConnectionSettings _settings;
    private readonly EndpointRotation _endpoints;
    private readonly List<IActorRef> _channelOwners = [];
    private readonly List<IActorRef> _publishers = [];
    private readonly List<IActorRef> _consumers = [];
    private readonly List<TopologyPlan> _extensions = [];
    private readonly List<IActorRef> _extensionWaiters = [];
    private IActorRef _topology = ActorRefs.Nobody;
    private IConnection? _publish;
    private IConnection? _consume;
    private BrokerEndpoint? _endpoint;
    private long _generation;
    private int _attempt;
    private DateTimeOffset? _downSince;
    private long _wait; // numbers each backed-off wait, so a probe's late answer is ignored
    private bool _probing;
    private LinkStateChanged _state;
    private bool _blocked;
    private bool _closing;

    public ConnectionSupervisorActor(ActorMqWiring wiring)
    {
        _wiring = wiring;
        _settings = wiring.Settings.Connection;
        _endpoints = new EndpointRotation(_settings.Endpoints);
        _state = new LinkStateChanged(LinkState.Connecting, null, "starting", DateTimeOffset.UtcNow);
        Receive<Connect>(_ => StartConnect());
        Receive<ProbeTick>(Handle);
        Receive<ProbeAnswered>(Handle);
        Receive<Connected>(Handle);
        Receive<ConnectFailed>(Handle);
        Receive<TopologyDeclared>(Handle);
        Receive<ConnectionLost>(Handle);
        Receive<BlockedChanged>(Handle);
        Receive<RequestLink>(_ =>
        {
            if (IsUp) Sender.Tell(new LinkUp(_publish!, _consume!, _generation));
        });
        Receive<RegisterChannelOwner>(Handle);
        Receive<Terminated>(t => _channelOwners.Remove(t.ActorRef));
        Receive<GetLinkState>(_ => Sender.Tell(_state));
        Receive<GetChannelOwners>(_ => Sender.Tell(new ChannelOwners(_publishers, _consumers)));
        ReceiveAsync<CloseLink>(HandleAsync);
        Receive<ExtendTopology>(Handle);
        Receive<InspectQueues>(i => _topology.Forward(i with { Connection = IsUp ? _publish : null }));
        Receive<Publish>(p => NextPublisher().Forward(p));
        Receive<PublishRequest>(p => NextPublisher().Forward(p));
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ActorMqWiring wiring) => Akka.Actor.Props.Create(() => new ConnectionSupervisorActor(wiring));

    private int _nextPublisher;

    private IActorRef NextPublisher() => _publishers[_nextPublisher++ % _publishers.Count];

    private bool IsUp => _state.State is LinkState.Connected or LinkState.Blocked && _publish is not null && _consume is not null;

    protected override void PreStart()
    {
        _topology = Context.ActorOf(TopologyActor.Props(), "topology");
        for (var i = 1; i <= _wiring.Settings.Publisher.Publishers; i++)
        {
            var publisher = Context.ActorOf(PublisherActor.Props(_wiring.Settings.Publisher, _settings.ChannelRestart, Self, _wiring.Instruments), $"publisher-{i}");
            _publishers.Add(publisher);
            _channelOwners.Add(publisher);
        }
        var restart = _settings.ChannelRestart;
        foreach (var consumer in _wiring.Consumers)
        {
            var wiring = consumer with { Link = Self };
            var options = Backoff.OnFailure(ConsumerActor.Props(wiring), "consumer", restart.Min, restart.Max, restart.RandomFactor, maxNrOfRetries: -1)
                .WithAutoReset(restart.Max + restart.Max);
            var supervisor = Context.ActorOf(BackoffSupervisor.Props(options), $"consumer-{consumer.Settings.Name}");
            _consumers.Add(supervisor);
            _channelOwners.Add(supervisor);
        }
        Self.Tell(Connect.Instance);
    }

    protected override void PostStop()
    {
        _closing = true;
        DisposeConnections();
    }

    private void StartConnect(BrokerEndpoint? answered = null)
    {
        if (_closing) return;
        _wait++;
        Timers.Cancel("probe");
        var generation = ++_generation;
        var endpoint = answered ?? _endpoints.Next();
        Log.Connecting(_log, endpoint.ToString(), _attempt + 1);
        _wiring.Connector.ConnectAsync(_settings, endpoint).PipeTo(Self,
            success: pair => new Connected(generation, endpoint, pair.Publish, pair.Consume),
            failure: e => new ConnectFailed(generation, endpoint, e));
    }

    private void Handle(Connected connected)
    {
        if (connected.Generation != _generation || _closing)
        {
            _ = CloseQuietlyAsync((connected.Publish, connected.Consume));
            return;
        }
        _publish = connected.Publish;
        _consume = connected.Consume;
        _endpoint = connected.Endpoint;
        var self = Self;
        var generation = connected.Generation;
        AsyncEventHandler<ShutdownEventArgs> lost = (_, reason) =>
        {
            self.Tell(new ConnectionLost(generation, reason));
            return Task.CompletedTask;
        };
        _publish.ConnectionShutdownAsync += lost;
        _consume.ConnectionShutdownAsync += lost;
        _publish.ConnectionBlockedAsync += (_, e) =>
        {
            self.Tell(new BlockedChanged(generation, true, e.Reason));
            return Task.CompletedTask;
        };
        _publish.ConnectionUnblockedAsync += (_, _) =>
        {
            self.Tell(new BlockedChanged(generation, false, "unblocked"));
            return Task.CompletedTask;
        };
        if (!_publish.IsOpen || !_consume.IsOpen)
        {
            // Closed before the handlers were attached: no event will come for it.
            Self.Tell(new ConnectionLost(generation, _publish.CloseReason ?? _consume.CloseReason
                ?? new ShutdownEventArgs(ShutdownInitiator.Library, 0, "closed while connecting")));
            return;
        }
        Log.Connected(_log, connected.Endpoint.ToString(), _publish.ClientProvidedName ?? "");
        var plan = _extensions.Aggregate(_wiring.Topology, (all, extra) => all.Concat(extra));
        _topology.Tell(new DeclareTopology(_publish, plan, generation), Self);
    }

    private void Handle(RegisterChannelOwner register)
    {
        if (_channelOwners.Contains(register.Owner)) return;
        _channelOwners.Add(register.Owner);
        Context.Watch(register.Owner);
        if (IsUp) register.Owner.Tell(new LinkUp(_publish!, _consume!, _generation), Self);
    }

    private void Handle(ExtendTopology extend)
    {
        _extensions.Add(extend.Plan);
        _extensionWaiters.Add(Sender);
        if (IsUp) _topology.Tell(new DeclareTopology(_publish!, extend.Plan, _generation), Self);
    }

    private void Handle(TopologyDeclared declared)
    {
        if (declared.Generation != _generation || _publish is null || _consume is null) return;
        if (declared.Result.Failures.Count > 0 || declared.Error is not null)
        {
            var error = declared.Error ?? declared.Result.Failures[0].Error;
            foreach (var waiter in _extensionWaiters) waiter.Tell(new TopologyExtended(error));
        }
        else
        {
            foreach (var waiter in _extensionWaiters) waiter.Tell(new TopologyExtended(null));
        }
        _extensionWaiters.Clear();
        if (_state.State is LinkState.Connected or LinkState.Blocked) return; // an extension declared on a link that is up already
        foreach (var failure in declared.Result.Failures)
            Log.TopologyDeclarationFailed(_log, failure.Error, failure.Error.Message);
        if (declared.Error is not null)
        {
            // The link failed while declaring: its shutdown event follows and reconnects.
            Log.TopologyInterrupted(_log, declared.Error.Message);
            return;
        }
        _attempt = 0;
        _downSince = null;
        _endpoints.Reset();
        SetState(_blocked ? LinkState.Blocked : LinkState.Connected, "connected");
        var up = new LinkUp(_publish, _consume, _generation);
        foreach (var owner in _channelOwners) owner.Tell(up, Self);
    }

    private void Handle(ConnectFailed failed)
    {
        if (failed.Generation != _generation || _closing) return;
        var classification = AmqpFailureClassifier.Classify(failed.Error);
        Log.ConnectFailed(_log, failed.Endpoint.ToString(), UriMasker.MaskText(failed.Error.Message));
        if (classification.Verdict == FailureVerdict.StopAndReport)
        {
            Fail($"the broker at {failed.Endpoint} refused the connection: {classification.Reason}");
            return;
        }
        ScheduleReconnect(failed.Error.Message);
    }

    private void Handle(ConnectionLost lost)
    {
        if (lost.Generation != _generation || _closing || _publish is null) return;
        _generation++; // events of the lost link are stale from now on
        SetState(LinkState.Connecting, "connection lost");
        _blocked = false;
        var reason = $"{lost.Reason.ReplyCode} {lost.Reason.ReplyText}".Trim();
        Log.ConnectionLost(_log, _endpoint?.ToString() ?? "", reason);
        DisposeConnections();
        var down = new LinkDown(lost.Generation, reason);
        foreach (var owner in _channelOwners) owner.Tell(down, Self);
        _attempt = 0;
        ScheduleReconnect(reason);
    }

    private void Handle(BlockedChanged blocked)
    {
        if (blocked.Generation != _generation) return;
        _blocked = blocked.Blocked;
        if (blocked.Blocked) Log.LinkBlocked(_log, blocked.Reason);
        else Log.LinkUnblocked(_log);
        if (IsUp) SetState(_blocked ? LinkState.Blocked : LinkState.Connected, blocked.Reason);
        foreach (var publisher in _publishers) publisher.Tell(new LinkBlocked(blocked.Blocked, blocked.Reason), Self);
    }

    private async Task HandleAsync(CloseLink close)
    {
        var replyTo = Sender;
        _closing = true;
        Timers.CancelAll();
        await CloseQuietlyAsync(DetachConnections());
        SetState(LinkState.Connecting, "closed by shutdown");
        replyTo.Tell(LinkClosed.Instance);
    }

    private void ScheduleReconnect(string reason)
    {
        var now = Context.System.Scheduler.Now;
        _downSince ??= now;
        if (_settings.MaxOutage is { } maxOutage && now - _downSince.Value >= maxOutage)
        {
            Fail($"the broker link has been down for {(now - _downSince.Value).TotalSeconds:0} s, beyond actormq.connection.max-outage = {maxOutage.TotalSeconds:0} s; last error: {UriMasker.MaskText(reason)}");
            return;
        }
        var delay = _settings.Reconnect.Delay(_attempt++, Random.Shared.NextDouble());
        if (_settings.MaxOutage is { } max && now + delay - _downSince.Value > max) delay = _downSince.Value + max - now;
        SetState(LinkState.Connecting, UriMasker.MaskText(reason));
        Log.ReconnectScheduled(_log, delay, _attempt);
        Timers.StartSingleTimer("connect", Connect.Instance, delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        // A long delay is cut short as soon as a broker accepts TCP again: the backoff spares a broker that is
        // down, the probe brings the link back within probe-interval of the broker being ready.
        var wait = ++_wait;
        if (_settings.ProbeInterval is { } every && delay > every) Timers.StartPeriodicTimer("probe", new ProbeTick(wait), every);
    }

    private void Handle(ProbeTick tick)
    {
        if (tick.Wait != _wait || _probing || !Timers.IsTimerActive("connect")) return;
        _probing = true;
        var timeout = _settings.ProbeInterval!.Value;
        var connector = _wiring.Connector;
        var probes = _settings.Endpoints.Select(async endpoint => await connector.ProbeAsync(endpoint, timeout).ConfigureAwait(false) ? endpoint : null).ToList();
        Task.WhenAll(probes).PipeTo(Self,
            success: answers => new ProbeAnswered(tick.Wait, answers.FirstOrDefault(a => a is not null)),
            failure: _ => new ProbeAnswered(tick.Wait, null));
    }

    private void Handle(ProbeAnswered answered)
    {
        _probing = false;
        if (answered.Wait != _wait || answered.Endpoint is null || !Timers.IsTimerActive("connect")) return;
        Timers.Cancel("connect");
        Log.ProbeAnswered(_log, answered.Endpoint.ToString());
        StartConnect(answered.Endpoint);
    }

    private void Fail(string reason)
    {
        Log.LinkFailed(_log, reason);
        Timers.CancelAll();
        SetState(LinkState.Failed, reason);
    }

    private void SetState(LinkState state, string? reason)
    {
        if (_state.State == state && _state.Reason == reason) return;
        _state = new LinkStateChanged(state, _endpoint?.ToString(), reason, Context.System.Scheduler.Now);
        Context.System.EventStream.Publish(_state);
    }

    /// <summary>Forgets the current connections and closes them in the background.</summary>
    private void DisposeConnections() => _ = CloseQuietlyAsync(DetachConnections());

    /// <summary>Forgets the current connections and returns them, for closing.</summary>
    private (IConnection? Publish, IConnection? Consume) DetachConnections()
    {
        var connections = (_publish, _consume);
        _publish = _consume = null;
        return connections;
    }

    private static async Task CloseQuietlyAsync((IConnection? Publish, IConnection? Consume) connections)
    {
        foreach (var connection in new[] { connections.Consume, connections.Publish })
        {
            if (connection is null) continue;
            try
            {
                if (connection.IsOpen) await connection.CloseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Closing a dying connection may fail; disposing below releases it either way.
            }
            try { await connection.DisposeAsync().ConfigureAwait(false); }
            catch (Exception) { /* already gone */ }
        }
    }

    private sealed record Connect
    {
        public static Connect Instance { get; } = new();
    }

    private sealed record Connected(long Generation, BrokerEndpoint Endpoint, IConnection Publish, IConnection Consume);

    private sealed record ConnectFailed(long Generation, BrokerEndpoint Endpoint, Exception Error);

    private sealed record ConnectionLost(long Generation, ShutdownEventArgs Reason);

    private sealed record ProbeTick(long Wait);

    private sealed record ProbeAnswered(long Wait, BrokerEndpoint? Endpoint);

    private sealed record BlockedChanged(long Generation, bool Blocked, string Reason);
}

/// <summary>Shutdown: close both connections, then reply <see cref="LinkClosed"/> to the sender.</summary>
internal sealed record CloseLink
{
    public static CloseLink Instance { get; } = new();
}

/// <summary>The connections are closed.</summary>
internal sealed record LinkClosed
{
    public static LinkClosed Instance { get; } = new();
}

/// <summary>Asks the connection supervisor for its channel owners (for shutdown and health).</summary>
internal sealed record GetChannelOwners
{
    public static GetChannelOwners Instance { get; } = new();
}

/// <summary>The publishers and the consumers' backoff supervisors.</summary>
internal sealed record ChannelOwners(IReadOnlyList<IActorRef> Publishers, IReadOnlyList<IActorRef> Consumers);
