using ActorMq.Retry;
using ActorMq.Settings;
using ActorMq.Topology;

namespace ActorMq.Consuming;

/// <summary>
/// A consumer taken by a component outside ActorMq's actor tree (ActorMq.Streams' committable source): its settings and
/// the declarations it needs on every (re)open (its queue, bindings and retry tiers), and its retry policy.
/// </summary>
internal sealed record ExternalConsumer(ConsumerSettings Settings, TopologyPlan Topology, RetryPolicy Policy);
