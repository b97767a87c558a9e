namespace ActorMq.Serialization;

/// <summary>
/// Content-type negotiation over the registered serializers. Publishing: <c>byte[]</c> and
/// <c>ReadOnlyMemory&lt;byte&gt;</c> pass through as <c>application/octet-stream</c> (unless a content type is given),
/// anything else goes through the default (first) serializer. Consuming: a <c>byte[]</c> / <c>ReadOnlyMemory&lt;byte&gt;</c>
/// handler gets the body whatever its content type; otherwise the serializer that reads the message's content type is used
/// (a missing content type means the consumer's <c>default-content-type</c>). Every failure is a permanent
/// <see cref="DeserializationException"/> naming the content type, the target type and the payload's first bytes.
/// </summary>
public sealed class MessageSerializers
{
    /// <summary>The content type of raw byte bodies.</summary>
    public const string OctetStream = "application/octet-stream";

    private readonly IReadOnlyList<IMessageSerializer> _serializers;

    /// <summary>Creates the set; the first serializer is the default for publishing. Empty → System.Text.Json only.</summary>
    public MessageSerializers(params IMessageSerializer[] serializers) =>
        _serializers = serializers.Length == 0 ? [new JsonMessageSerializer()] : serializers;

    /// <summary>The serializer used for publishing typed messages.</summary>
    public IMessageSerializer Default => _serializers[0];

    /// <summary>True when <paramref name="type"/> is carried as raw bytes (no serializer involved).</summary>
    public static bool IsRaw(Type type) => type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>) || type == typeof(Memory<byte>);

    /// <summary>The body and content type for <paramref name="message"/>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="messageType">Its declared type.</param>
    /// <param name="contentType">A content type to write instead of the serializer's (raw bodies: their real type).</param>
    public (ReadOnlyMemory<byte> Body, string ContentType) Serialize(object message, Type messageType, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message switch
        {
            byte[] bytes => (bytes, contentType ?? OctetStream),
            ReadOnlyMemory<byte> memory => (memory, contentType ?? OctetStream),
            Memory<byte> memory => (memory, contentType ?? OctetStream),
            _ => (Default.Serialize(message, messageType), contentType ?? Default.ContentType),
        };
    }

    /// <summary>Reads <paramref name="body"/> as <paramref name="targetType"/>; see the class summary.</summary>
    /// <param name="body">The delivery's body (already copied out of the client's buffer).</param>
    /// <param name="contentType">The message's content type, or <c>null</c>.</param>
    /// <param name="targetType">The handler's message type.</param>
    /// <param name="defaultContentType">Assumed when the message has no content type (<c>default-content-type</c>).</param>
    /// <exception cref="DeserializationException">No serializer reads the content type, or it failed, or the body was <c>null</c>.</exception>
    public object Deserialize(ReadOnlyMemory<byte> body, string? contentType, Type targetType, string defaultContentType)
    {
        if (targetType == typeof(byte[])) return body.ToArray();
        if (targetType == typeof(ReadOnlyMemory<byte>)) return body;
        if (targetType == typeof(Memory<byte>)) return new Memory<byte>(body.ToArray());

        var mediaType = MediaType(string.IsNullOrWhiteSpace(contentType) ? defaultContentType : contentType);
        var serializer = _serializers.FirstOrDefault(s => s.CanDeserialize(mediaType))
            ?? throw Failure(body, contentType, targetType,
                $"no serializer reads content type '{mediaType}' (registered: {string.Join(", ", _serializers.Select(s => s.ContentType))})");
        object? message;
        try
        {
            message = serializer.Deserialize(body, targetType);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Failure(body, contentType, targetType, $"{e.GetType().Name}: {e.Message}", e);
        }
        return message ?? throw Failure(body, contentType, targetType, "the body is a null value");
    }

    /// <summary>The media type of a content type: lower case, without parameters (<c>application/json; charset=utf-8</c> → <c>application/json</c>).</summary>
    public static string MediaType(string contentType)
    {
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? contentType : contentType[..semicolon]).Trim().ToLowerInvariant();
    }

    private static DeserializationException Failure(ReadOnlyMemory<byte> body, string? contentType, Type targetType, string reason, Exception? inner = null) =>
        new(contentType, targetType, PayloadPreview.Of(body.Span), reason, inner);
}
