using Akka.Actor;
using RabbitMQ.Client;

namespace ActorMq.Consuming;

/// <summary>
/// One delivery, copied out of RabbitMQ.Client's buffers so it may outlive the consumer callback.
/// <paramref name="Generation"/> identifies the channel it came from: its tag means nothing on another channel.
/// </summary>
internal sealed record Delivery(
    long Generation,
    ulong DeliveryTag,
    bool Redelivered,
    string Exchange,
    string RoutingKey,
    IReadOnlyBasicProperties Properties,
    ReadOnlyMemory<byte> Body);

/// <summary>ConsumerActor → HandlerActor: run the handler for this delivery (attempt number from the attempt header).</summary>
internal sealed record HandleDelivery(Delivery Delivery, int Attempt);

/// <summary>HandlerActor → ConsumerActor: the handler succeeded after <paramref name="Elapsed"/>; the delivery may be acked.</summary>
internal sealed record HandlerSucceeded(Delivery Delivery, TimeSpan Elapsed);

/// <summary>HandlerActor → ConsumerActor: the handler failed (exception, timeout, bad payload, crashed actor).</summary>
/// <param name="Delivery">The delivery.</param>
/// <param name="Error">What failed.</param>
/// <param name="Permanent">True when retrying cannot help (deserialization error, permanent exception types).</param>
/// <param name="Retired">True when the handler is stuck (blocked past its timeout): replace it instead of reusing it.</param>
internal sealed record HandlerFailed(Delivery Delivery, Exception Error, bool Permanent, bool Retired = false);

/// <summary>
/// ConsumerActor → the failure handler (RetryActor): put this failed delivery where it belongs (a retry tier or the
/// dead store) and answer <see cref="FailureSettled"/> once that is durable, or <see cref="FailureNotSettled"/>.
/// </summary>
internal sealed record SettleFailure(string Consumer, string Queue, Delivery Delivery, Exception Error, bool Permanent, IActorRef ReplyTo);

/// <summary>The failed delivery's retry copy is confirmed or its dead letter committed: ack the original.</summary>
internal sealed record FailureSettled(Delivery Delivery, string Outcome);

/// <summary>Nothing durable happened (publish or store failed): nack the original with requeue, after a backoff.</summary>
internal sealed record FailureNotSettled(Delivery Delivery, Exception Reason);

/// <summary>
/// Sent by a user's handler actor in reply to <see cref="MessageReceived"/> when it handled the message.
/// Reply <see cref="Status.Failure"/> (or throw) to fail it.
/// </summary>
public sealed record MessageHandled
{
    /// <summary>The singleton.</summary>
    public static MessageHandled Instance { get; } = new();
}

/// <summary>
/// What a user-supplied handler actor (registered with <see cref="ActorMqBuilder.AddHandlerActor{TMessage}(string, Akka.Actor.Props)"/> or <see cref="ActorMqBuilder.AddHandlerActor{TMessage}(string, IActorRef)"/>)
/// receives for each message; it replies <see cref="MessageHandled.Instance"/> or <see cref="Status.Failure"/>.
/// </summary>
/// <param name="Message">The deserialized message.</param>
/// <param name="Context">The delivery's context.</param>
public sealed record MessageReceived(object Message, MessageContext Context);

/// <summary>Published on the event stream when a consumer starts or stops consuming its queue.</summary>
/// <param name="Consumer">The consumer's name.</param>
/// <param name="Queue">Its queue.</param>
/// <param name="Consuming">True when basic.consume is active.</param>
/// <param name="Reason">Why it stopped, when it did.</param>
public sealed record ConsumerStateChanged(string Consumer, string Queue, bool Consuming, string? Reason = null);

/// <summary>Asks a consumer for its state; answered with <see cref="ConsumerStatus"/>.</summary>
internal sealed record GetConsumerStatus
{
    public static GetConsumerStatus Instance { get; } = new();
}

/// <summary>A consumer's state.</summary>
/// <param name="Consumer">Its name.</param>
/// <param name="Queue">Its queue.</param>
/// <param name="Consuming">True while basic.consume is active on an open channel.</param>
/// <param name="InFlight">Deliveries being handled or settled.</param>
/// <param name="Waiting">Deliveries received and waiting for a free handler, or held while the breaker is open.</param>
/// <param name="Breaker">The circuit breaker's state (<see cref="BreakerState.Closed"/> when the consumer has none).</param>
/// <param name="Problem">While not consuming because the broker refuses its declarations: why (naming queue and argument); otherwise <c>null</c>.</param>
public sealed record ConsumerStatus(string Consumer, string Queue, bool Consuming, int InFlight, int Waiting, BreakerState Breaker = BreakerState.Closed,
    string? Problem = null);

/// <summary>Published on the event stream when a consumer's circuit breaker changes state.</summary>
/// <param name="Consumer">The consumer's name.</param>
/// <param name="Queue">Its queue.</param>
/// <param name="State">The new state.</param>
/// <param name="Held">Deliveries the consumer holds (unacked) while the breaker is not closed.</param>
public sealed record ConsumerBreakerChanged(string Consumer, string Queue, BreakerState State, int Held);
