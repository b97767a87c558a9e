using Akka.Actor;
using ActorMq.Connection;
using ActorMq.Consuming;
using ActorMq.DeadStore;
using ActorMq.Publishing;
using ActorMq.Retry;
using ActorMq.Settings;
using ActorMq.Topology;

namespace ActorMq;

/// <summary>
/// The root of ActorMq's actors (<c>/user/actormq</c>): creates the dead store, the connection supervisor (with the
/// publishers, consumers and topology under it) and the retry actor. Forwards <see cref="Publish"/> and
/// <see cref="GetLinkState"/> (and channel owners registering later) to the connection supervisor, failed deliveries to the retry actor
/// and handled replayed copies (<see cref="ReplayedCopyHandled"/>) to the dead store.
/// Children are restarted on unexpected failures (Akka's default strategy).
/// </summary>
internal sealed class ActorMqActor : ReceiveActor
{
    private readonly ActorMqWiring _wiring;
    private IActorRef _connection = ActorRefs.Nobody;
    private IActorRef _retry = ActorRefs.Nobody;
    private IActorRef _deadStore = ActorRefs.Nobody;

    public ActorMqActor(ActorMqWiring wiring)
    {
        _wiring = wiring;
        Receive<SettleFailure>(f => _retry.Forward(f));
        Receive<ReplayedCopyHandled>(h => _deadStore.Forward(h));
        Receive<Publish>(p => _connection.Forward(p));
        Receive<PublishRequest>(p => _connection.Forward(p));
        Receive<GetLinkState>(g => _connection.Forward(g));
        Receive<GetChannelOwners>(g => _connection.Forward(g));
        Receive<RegisterChannelOwner>(r => _connection.Forward(r));
        Receive<CloseLink>(c => _connection.Forward(c));
        Receive<ExtendTopology>(e => _connection.Forward(e));
        Receive<InspectQueues>(i => _connection.Forward(i));
    }

    public static Props Props(ActorMqWiring wiring) => Akka.Actor.Props.Create(() => new ActorMqActor(wiring));

    protected override void PreStart()
    {
        var deadStore = _deadStore = Context.ActorOf(DeadStoreActor.Props(_wiring.DeadStore, _wiring.DeadStoreBatchSize, _wiring.DeadStoreDispatcher, _wiring.Instruments), "dead-store");
        var consumers = _wiring.Consumers.Select(c => c with { FailureHandler = Self }).ToList();
        _connection = Context.ActorOf(ConnectionSupervisorActor.Props(_wiring with { Consumers = consumers }), "connection");
        _retry = Context.ActorOf(RetryActor.Props(_wiring.Settings.Retry, _wiring.Policies, _connection, deadStore, _wiring.Instruments,
            _wiring.Settings.Connection.Users), "retry");
    }
}

/// <summary>Everything ActorMq's actors are built from, validated and fixed at start.</summary>
internal sealed record ActorMqWiring(
    ActorMqSettings Settings,
    TopologyPlan Topology,
    IReadOnlyList<ConsumerWiring> Consumers,
    IReadOnlyDictionary<string, RetryPolicy> Policies,
    IDeadLetterStore DeadStore,
    int DeadStoreBatchSize,
    string DeadStoreDispatcher,
    IBrokerConnector Connector,
    Diagnostics.ActorMqInstruments Instruments);
