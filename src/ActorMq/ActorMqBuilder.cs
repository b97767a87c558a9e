using Akka.Actor;
using ActorMq.Consuming;
using ActorMq.DeadStore;
using Akka.Configuration;
using ActorMq.Serialization;
using ActorMq.Topology;

namespace ActorMq;

/// <summary>
/// Code-side configuration of an <see cref="ActorMqClient"/>: handlers per consumer name, serializers, the dead-letter
/// store, extra topology, and configuration overrides (which win over HOCON).
/// </summary>
public sealed class ActorMqBuilder
{
    internal Dictionary<string, HandlerRegistration> Handlers { get; } = new(StringComparer.Ordinal);

    internal List<Action<TopologyPlanBuilder>> Topology { get; } = [];

    internal List<IMessageSerializer> Serializers { get; } = [];

    internal List<IDeadLetterStoreProvider> StoreProviders { get; } = [];

    internal IDeadLetterStore? DeadLetterStore { get; private set; }

    internal List<Config> Overrides { get; } = [];

    internal System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; private set; }

    internal bool ConsumersDisabled { get; private set; }

    /// <summary>Consumers whose deliveries are taken by something other than ActorMq's ConsumerActor (an Akka.Streams source).</summary>
    internal HashSet<string> ExternalConsumers { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Declares consumer <paramref name="consumer"/> (configured under <c>actormq.consumers</c>, or a queue of that name with
    /// the defaults) without a ConsumerActor: its queue and retry tiers are declared and its retry policy is known to the
    /// retry actor, and another component consumes it (ActorMq.Streams' committable source).
    /// </summary>
    internal ActorMqBuilder AddExternalConsumer(string consumer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        if (ConsumersDisabled) throw new InvalidOperationException($"consumer '{consumer}' cannot be added after WithoutConsumers()");
        if (Handlers.TryGetValue(consumer, out var handler))
            throw new ArgumentException($"consumer '{consumer}' already has a handler ({handler.Description}); a stream source needs a consumer of its own", nameof(consumer));
        if (!ExternalConsumers.Add(consumer))
            throw new ArgumentException($"consumer '{consumer}' is already consumed by a stream source", nameof(consumer));
        return this;
    }

    /// <summary>
    /// Starts no consumers even when <c>actormq.consumers</c> lists some (a tool that only publishes or replays, such as
    /// the <c>actormq</c> command): the topology of the configured consumers is still declared.
    /// </summary>
    public ActorMqBuilder WithoutConsumers()
    {
        if (Handlers.Count > 0 || ExternalConsumers.Count > 0) throw new InvalidOperationException("WithoutConsumers() cannot be combined with handlers");
        ConsumersDisabled = true;
        return this;
    }

    /// <summary>Creates ActorMq's <c>ActorMq</c> meter through this factory (Microsoft.Extensions.Diagnostics), e.g. the host's.</summary>
    public ActorMqBuilder UseMeterFactory(System.Diagnostics.Metrics.IMeterFactory meterFactory)
    {
        MeterFactory = meterFactory ?? throw new ArgumentNullException(nameof(meterFactory));
        return this;
    }

    /// <summary>
    /// Handles consumer <paramref name="consumer"/>'s messages with a new <typeparamref name="THandler"/> per
    /// HandlerActor. A consumer without an entry in <c>actormq.consumers</c> gets one with the defaults (queue = its name).
    /// </summary>
    public ActorMqBuilder AddHandler<TMessage, THandler>(string consumer) where THandler : IMessageHandler<TMessage>, new() =>
        Register(consumer, DelegateHandlerRegistration.For<TMessage>(() => new THandler(), typeof(THandler).Name));

    /// <summary>Handles consumer <paramref name="consumer"/>'s messages with handlers made by <paramref name="factory"/>, one per HandlerActor.</summary>
    public ActorMqBuilder AddHandler<TMessage>(string consumer, Func<IMessageHandler<TMessage>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Register(consumer, DelegateHandlerRegistration.For(factory, typeof(IMessageHandler<TMessage>).Name));
    }

    /// <summary>Handles consumer <paramref name="consumer"/>'s messages with a delegate (called concurrently up to <c>concurrency</c>).</summary>
    public ActorMqBuilder AddHandler<TMessage>(string consumer, Func<TMessage, MessageContext, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Register(consumer, DelegateHandlerRegistration.For(handler));
    }

    /// <summary>
    /// Handles consumer <paramref name="consumer"/>'s messages with an actor of yours, created from <paramref name="props"/>
    /// once per handler slot (<c>concurrency</c> of them, children of ActorMq's HandlerActors): it receives
    /// <see cref="MessageReceived"/> and replies to the sender <see cref="MessageHandled.Instance"/> (the delivery is acked)
    /// or <see cref="Status.Failure"/> (the failure goes to the retry tiers or the dead store). If it throws, the message
    /// fails and the actor is restarted. No reply within <c>handler-timeout</c> fails the message with a
    /// <see cref="HandlerTimeoutException"/>.
    /// </summary>
    public ActorMqBuilder AddHandlerActor<TMessage>(string consumer, Props props)
    {
        ArgumentNullException.ThrowIfNull(props);
        return Register(consumer, new ActorHandlerRegistration(typeof(TMessage), props));
    }

    /// <summary>
    /// Handles consumer <paramref name="consumer"/>'s messages with an actor you already run — a router, a cluster
    /// shard region or its proxy — shared by the consumer's handler slots (up to <c>concurrency</c> messages in flight
    /// to it). The reply protocol is the one of <see cref="AddHandlerActor{TMessage}(string, Props)"/>: the actor (or
    /// the routee that gets the message) replies <see cref="MessageHandled.Instance"/> or <see cref="Status.Failure"/>
    /// to the sender within <c>handler-timeout</c>.
    /// </summary>
    public ActorMqBuilder AddHandlerActor<TMessage>(string consumer, IActorRef handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (handler.IsNobody()) throw new ArgumentException($"consumer '{consumer}': the handler actor is Nobody", nameof(handler));
        return Register(consumer, new ActorRefHandlerRegistration(typeof(TMessage), handler));
    }

    /// <summary>Adds a serializer; the first one added is the default for publishing (System.Text.Json when none is added).</summary>
    public ActorMqBuilder UseSerializer(IMessageSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        Serializers.Add(serializer);
        return this;
    }

    /// <summary>Uses this dead-letter store instead of the one <c>actormq.dead-store</c> describes.</summary>
    public ActorMqBuilder UseDeadLetterStore(IDeadLetterStore store)
    {
        DeadLetterStore = store ?? throw new ArgumentNullException(nameof(store));
        return this;
    }

    /// <summary>
    /// Registers a dead-letter store provider (e.g. <c>new PostgreSqlDeadLetterStoreProvider()</c>), chosen by
    /// <c>actormq.dead-store.provider</c>. Providers in ActorMq.DeadStore.Sqlite / .PostgreSql are found by themselves
    /// when those assemblies are deployed with the application.
    /// </summary>
    public ActorMqBuilder AddDeadLetterStoreProvider(IDeadLetterStoreProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        StoreProviders.Add(provider);
        return this;
    }

    /// <summary>Declares extra exchanges, queues and bindings on every (re)connect, before the configured ones.</summary>
    public ActorMqBuilder DeclareTopology(Action<TopologyPlanBuilder> declare)
    {
        ArgumentNullException.ThrowIfNull(declare);
        Topology.Add(declare);
        return this;
    }

    /// <summary>Configuration that wins over the HOCON given to <see cref="ActorMqClient.StartAsync"/> (later calls win over earlier ones).</summary>
    public ActorMqBuilder WithConfig(Config overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        Overrides.Add(overrides);
        return this;
    }

    /// <summary>HOCON text that wins over the configuration given to <see cref="ActorMqClient.StartAsync"/>.</summary>
    public ActorMqBuilder WithConfig(string hocon) => WithConfig(ConfigurationFactory.ParseString(hocon));

    private ActorMqBuilder Register(string consumer, HandlerRegistration registration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        if (ExternalConsumers.Contains(consumer))
            throw new ArgumentException($"consumer '{consumer}' is consumed by a stream source; it cannot have a handler too", nameof(consumer));
        if (!Handlers.TryAdd(consumer, registration))
            throw new ArgumentException($"consumer '{consumer}' already has a handler ({Handlers[consumer].Description})", nameof(consumer));
        return this;
    }
}
