using RabbitMQ.Client;

namespace ActorMq.DeadStore;

public sealed partial record DeadLetterProperties
{
    /// <summary>The properties of a delivery (without its headers: see <see cref="DeadLetter.Headers"/>), only those present.</summary>
    public static DeadLetterProperties From(IReadOnlyBasicProperties properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return new DeadLetterProperties
        {
            ContentType = properties.IsContentTypePresent() ? properties.ContentType : null,
            ContentEncoding = properties.IsContentEncodingPresent() ? properties.ContentEncoding : null,
            DeliveryMode = properties.IsDeliveryModePresent() ? (byte)properties.DeliveryMode : null,
            Priority = properties.IsPriorityPresent() ? properties.Priority : null,
            CorrelationId = properties.IsCorrelationIdPresent() ? properties.CorrelationId : null,
            ReplyTo = properties.IsReplyToPresent() ? properties.ReplyTo : null,
            Expiration = properties.IsExpirationPresent() ? properties.Expiration : null,
            MessageId = properties.IsMessageIdPresent() ? properties.MessageId : null,
            Timestamp = properties.IsTimestampPresent() ? properties.Timestamp.UnixTime : null,
            Type = properties.IsTypePresent() ? properties.Type : null,
            UserId = properties.IsUserIdPresent() ? properties.UserId : null,
            AppId = properties.IsAppIdPresent() ? properties.AppId : null,
            ClusterId = properties.IsClusterIdPresent() ? properties.ClusterId : null,
        };
    }

    /// <summary>
    /// The basic properties to republish with: every stored property that is set, and
    /// <paramref name="headers"/> (the stored headers, typically with the attempt header reset).
    /// </summary>
    public BasicProperties ToBasicProperties(IDictionary<string, object?>? headers)
    {
        var properties = new BasicProperties();
        if (ContentType is not null) properties.ContentType = ContentType;
        if (ContentEncoding is not null) properties.ContentEncoding = ContentEncoding;
        if (DeliveryMode is { } mode) properties.DeliveryMode = (DeliveryModes)mode;
        if (Priority is { } priority) properties.Priority = priority;
        if (CorrelationId is not null) properties.CorrelationId = CorrelationId;
        if (ReplyTo is not null) properties.ReplyTo = ReplyTo;
        if (Expiration is not null) properties.Expiration = Expiration;
        if (MessageId is not null) properties.MessageId = MessageId;
        if (Timestamp is { } timestamp) properties.Timestamp = new AmqpTimestamp(timestamp);
        if (Type is not null) properties.Type = Type;
        if (UserId is not null) properties.UserId = UserId;
        if (AppId is not null) properties.AppId = AppId;
        if (ClusterId is not null) properties.ClusterId = ClusterId;
        if (headers is not null) properties.Headers = headers;
        return properties;
    }
}
