namespace ActorMq.Streams;

/// <summary>A <see cref="CommittableDelivery{T}"/> was settled a second time; a delivery settles exactly once.</summary>
public sealed class DeliveryAlreadySettledException : ActorMqException
{
    internal DeliveryAlreadySettledException(string queue, string? messageId, ulong deliveryTag, string first, string second)
        : base($"the delivery of message '{messageId ?? "(no message id)"}' from queue '{queue}' (delivery tag {deliveryTag}) was already settled " +
               $"with {first}; {second} is a second settle (each delivery is acked, failed or rejected exactly once)")
    {
        Queue = queue;
        MessageId = messageId;
    }

    /// <summary>The queue the delivery came from.</summary>
    public string Queue { get; }

    /// <summary>The message id, when the message has one.</summary>
    public string? MessageId { get; }
}

/// <summary>
/// The failure recorded for a delivery the stream rejected permanently (<see cref="CommittableDelivery{T}.RejectAsync"/>
/// with <c>permanent: true</c>): the dead letter's error type and message.
/// </summary>
public sealed class DeliveryRejectedException : PermanentFailureException
{
    internal DeliveryRejectedException(string queue, string? messageId, string? reason)
        : base($"message '{messageId ?? "(no message id)"}' from queue '{queue}' was rejected by the stream{(reason is null ? "" : ": " + reason)}")
    {
    }
}
