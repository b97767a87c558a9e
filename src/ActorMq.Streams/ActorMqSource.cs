using Akka.Streams.Dsl;

namespace ActorMq.Streams;

/// <summary>Akka.Streams sources over ActorMq consumers.</summary>
public static class ActorMqSource
{
    /// <summary>
    /// A source of <see cref="CommittableDelivery{T}"/> from consumer <paramref name="consumer"/> — a consumer configured under
    /// <c>actormq.consumers</c> (or <c>actormq.subscriptions</c>), or a queue of that name with <c>consumer-defaults</c> —
    /// declared at start with <see cref="ActorMqBuilderStreamsExtensions.AddCommittableSource"/>. Each element is settled
    /// exactly once by the stream: acked, failed through the consumer's retry policy (next tier or dead store, acked once that
    /// is durable) or rejected. At most <c>prefetch</c> deliveries are unsettled: a slow stream slows the broker.
    /// The source shares ActorMq's consuming connection and survives connection loss and broker restarts: it consumes again
    /// on the new connection, and elements of the old channel report <see cref="SettleOutcome.WillBeRedelivered"/>.
    /// Its materialized <see cref="IConsumerControl"/> stops, drains and shuts it down. It completes when stopped; when the
    /// stream ends (downstream cancels) it waits up to <c>drain-timeout</c> for emitted elements to be settled, then closes.
    /// Akka's <see cref="Akka.Actor.CoordinatedShutdown"/> stops it (<c>service-unbind</c>) and drains it within
    /// <c>drain-timeout</c> (<c>service-requests-done</c>) before ActorMq closes its connections.
    /// </summary>
    /// <typeparam name="T">The message type (deserialized as a handler's: System.Text.Json by default, raw bytes for <c>byte[]</c>).</typeparam>
    /// <param name="client">The started ActorMq client.</param>
    /// <param name="consumer">The consumer name.</param>
    /// <exception cref="ArgumentException">No source was declared for <paramref name="consumer"/> when the client started.</exception>
    public static Source<CommittableDelivery<T>, IConsumerControl> Committable<T>(ActorMqClient client, string consumer)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        if (!client.ExternalConsumers.TryGetValue(consumer, out var external))
        {
            var declared = client.ExternalConsumers.Count == 0 ? "none" : string.Join(", ", client.ExternalConsumers.Keys.Select(k => $"'{k}'"));
            throw new ArgumentException(
                $"consumer '{consumer}' has no committable source: declare it when starting ActorMq with " +
                $"ActorMqClient.StartAsync(system, configure: b => b.AddCommittableSource(\"{consumer}\")) (declared: {declared})", nameof(consumer));
        }
        return Source.FromGraph(new CommittableSourceStage<T>(client, external));
    }
}

/// <summary>Declares committable sources when ActorMq starts.</summary>
public static class ActorMqBuilderStreamsExtensions
{
    /// <summary>
    /// Declares that consumer <paramref name="consumer"/> is consumed by <see cref="ActorMqSource.Committable{T}"/> instead of a
    /// handler: its queue (configured under <c>actormq.consumers.&lt;name&gt;</c>, or a queue of that name with the defaults),
    /// bindings and retry tiers are declared on every (re)connect and its retry policy applies to the stream's failures.
    /// </summary>
    /// <exception cref="ArgumentException">The consumer already has a handler or a source.</exception>
    public static ActorMqBuilder AddCommittableSource(this ActorMqBuilder builder, string consumer)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddExternalConsumer(consumer);
    }
}
