using Akka.Actor;
using RabbitMQ.Client;

namespace ActorMq.Consuming;

/// <summary>The broker cancelled the consumer of channel generation <paramref name="Generation"/> (queue deleted, node down).</summary>
internal sealed record BrokerCancelled(long Generation);

/// <summary>A delivery from a work queue's parked queue: a message the broker dead-lettered, bound for the dead store.</summary>
internal sealed record ParkedDelivery(Delivery Delivery);

/// <summary>
/// Copies each delivery out of the client's buffers and tells the consuming actor (a <see cref="ParkedDelivery"/> when it
/// consumes a parked queue); never blocks the client. A cancel sent by the broker becomes <see cref="BrokerCancelled"/>;
/// the actor's own basic.cancel does not.
/// </summary>
internal sealed class DeliveryForwarder(IChannel channel, IActorRef consumer, long generation, bool parked = false) : AsyncDefaultBasicConsumer(channel)
{
    public override Task HandleBasicDeliverAsync(string consumerTag, ulong deliveryTag, bool redelivered, string exchange,
        string routingKey, IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var delivery = new Delivery(generation, deliveryTag, redelivered, exchange, routingKey, new BasicProperties(properties), body.ToArray());
        consumer.Tell(parked ? new ParkedDelivery(delivery) : delivery);
        return Task.CompletedTask;
    }

    public override Task HandleBasicCancelAsync(string consumerTag, CancellationToken cancellationToken = default)
    {
        consumer.Tell(new BrokerCancelled(generation));
        return base.HandleBasicCancelAsync(consumerTag, cancellationToken);
    }
}
