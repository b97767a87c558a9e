using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ActorMq.Publishing;

/// <summary>
/// A channel the broker closed because it refused a <c>basic.publish</c> (AMQP class 60, method 40) with 403, 404 or 406,
/// and which publishes its reply text names (read by <see cref="Topology.BrokerReply"/>): the exchange that is missing or
/// not writable, the <c>user_id</c> that is not the connection's user, the size limit a body exceeds.
/// </summary>
internal sealed class PublishRefusal
{
    private const ushort BasicClass = 60, PublishMethod = 40;

    private readonly string? _exchange;
    private readonly string? _userId;
    private readonly long? _maxSize;

    private PublishRefusal(ushort code, string text, string? exchange, string? userId, long? maxSize)
    {
        Code = code;
        Text = text;
        _exchange = exchange;
        _userId = userId;
        _maxSize = maxSize;
    }

    public ushort Code { get; }

    public string Text { get; }

    /// <summary>True when the reply text tells which publishes were refused.</summary>
    public bool NamesAny => _exchange is not null || _userId is not null || _maxSize is not null;

    public static PublishRefusal? From(ShutdownEventArgs reason)
    {
        if (reason.Initiator != ShutdownInitiator.Peer || reason.ClassId != BasicClass || reason.MethodId != PublishMethod) return null;
        if (reason.ReplyCode is not (403 or 404 or 406)) return null;
        var text = reason.ReplyText ?? "";
        var exchange = Topology.BrokerReply.NamedResource(text) is ("exchange", var name) ? name : null;
        var userId = Topology.BrokerReply.RefusedUserId(text);
        var maxSize = Topology.BrokerReply.MaxMessageSize(text);
        return new PublishRefusal(reason.ReplyCode, text, exchange, userId, maxSize);
    }

    /// <summary>Whether the reply text names <paramref name="request"/> as refused.</summary>
    public bool Names(PublishRequest request) =>
        (_exchange is not null && request.Exchange == _exchange)
        || (_userId is not null && request.Properties.UserId == _userId)
        || (_maxSize is { } max && request.Body.Length > max);

    public PublishRefusedException ToException(PublishRequest request) => new(request.Exchange, request.RoutingKey, Code, Text);
}
