using RabbitMQ.Client;

namespace ActorMq.Consuming;

/// <summary>What a handler knows about the delivery it handles. Immutable; safe to keep after the handler returns.</summary>
public sealed class MessageContext
{
    internal MessageContext(string consumer, string queue, Delivery delivery, int attempt)
    {
        Consumer = consumer;
        Queue = queue;
        Body = delivery.Body;
        Properties = delivery.Properties;
        Exchange = delivery.Exchange;
        RoutingKey = delivery.RoutingKey;
        Redelivered = delivery.Redelivered;
        Attempt = attempt;
    }

    /// <summary>The consumer's name (its key under <c>actormq.consumers</c>).</summary>
    public string Consumer { get; }

    /// <summary>The queue the message was consumed from.</summary>
    public string Queue { get; }

    /// <summary>The raw body (a copy owned by ActorMq, not the client's buffer).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The AMQP properties.</summary>
    public IReadOnlyBasicProperties Properties { get; }

    /// <summary>The message id, or null when the producer set none.</summary>
    public string? MessageId => Properties.MessageId;

    /// <summary>The content type, or null.</summary>
    public string? ContentType => Properties.ContentType;

    /// <summary>The headers (values as RabbitMQ.Client gives them: strings arrive as <c>byte[]</c>).</summary>
    public IDictionary<string, object?> Headers => Properties.Headers ?? EmptyHeaders;

    /// <summary>The exchange the message was published to (empty for the default exchange).</summary>
    public string Exchange { get; }

    /// <summary>The routing key it was published with.</summary>
    public string RoutingKey { get; }

    /// <summary>True when the broker delivered it before (a previous delivery was not acked).</summary>
    public bool Redelivered { get; }

    /// <summary>1 for the first handling, 2 for the first retry, and so on (from the attempt header).</summary>
    public int Attempt { get; }

    private static readonly IDictionary<string, object?> EmptyHeaders =
        new System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>(new Dictionary<string, object?>());
}
