using Akka;

namespace ActorMq.Streams;

/// <summary>One message for <see cref="ActorMqFlow.Publish{T, TPassThrough}"/>, with a value passed through to its result.</summary>
/// <typeparam name="T">The message type (serialized as <see cref="ActorMqClient.PublishAsync{TMessage}"/> does).</typeparam>
/// <typeparam name="TPassThrough">What the result carries back, e.g. the <see cref="CommittableDelivery{T}"/> to ack on the confirm.</typeparam>
/// <param name="Exchange">The exchange; empty for the default exchange (routing key = queue name).</param>
/// <param name="RoutingKey">The routing key.</param>
/// <param name="Message">The message.</param>
/// <param name="PassThrough">Passed through to the <see cref="PublishResult{TPassThrough}"/>.</param>
/// <param name="Options">Message id, correlation id, headers, mandatory, delay; null = the defaults.</param>
public sealed record PublishRequest<T, TPassThrough>(string Exchange, string RoutingKey, T Message, TPassThrough PassThrough, PublishOptions? Options = null)
    where T : notnull;

/// <summary>Creates <see cref="PublishRequest{T, TPassThrough}"/>s.</summary>
public static class PublishRequest
{
    /// <summary>A request with nothing passed through (for <see cref="ActorMqSink.Publish{T}"/>).</summary>
    public static PublishRequest<T, NotUsed> Create<T>(string exchange, string routingKey, T message, PublishOptions? options = null) where T : notnull =>
        new(exchange, routingKey, message, NotUsed.Instance, options);

    /// <summary>A request carrying <paramref name="passThrough"/> to its result.</summary>
    public static PublishRequest<T, TPassThrough> Create<T, TPassThrough>(string exchange, string routingKey, T message, TPassThrough passThrough,
        PublishOptions? options = null) where T : notnull =>
        new(exchange, routingKey, message, passThrough, options);
}

/// <summary>The outcome of one <see cref="PublishRequest{T, TPassThrough}"/>, emitted in input order.</summary>
/// <typeparam name="TPassThrough">The request's pass-through value.</typeparam>
/// <param name="PassThrough">The request's pass-through value.</param>
/// <param name="MessageId">The published message's id (confirmed), or null when it failed.</param>
/// <param name="Error">Null when the broker confirmed the message; otherwise why not (<see cref="PublishReturnedException"/> for
/// an unroutable message, <see cref="PublishNackedException"/>, <see cref="PublishConfirmTimeoutException"/>,
/// <see cref="MessageTooLargeException"/>, a serialization error).</param>
public sealed record PublishResult<TPassThrough>(TPassThrough PassThrough, string? MessageId, Exception? Error)
{
    /// <summary>True when the broker confirmed the message.</summary>
    public bool Succeeded => Error is null;
}
