namespace ActorMq.Topology;

/// <summary>The RabbitMQ queue type of a work queue and its retry tiers (<c>x-queue-type</c>).</summary>
public enum QueueType
{
    /// <summary>A classic queue (<c>x-queue-type = classic</c>).</summary>
    Classic,

    /// <summary>A replicated quorum queue (<c>x-queue-type = quorum</c>), always with an explicit <c>x-delivery-limit</c>.</summary>
    Quorum,
}
