namespace ActorMq.Serialization;

/// <summary>
/// Turns messages into bodies and back for one family of content types. ActorMq ships
/// <see cref="JsonMessageSerializer"/> (the default) and passes <c>byte[]</c> / <c>ReadOnlyMemory&lt;byte&gt;</c>
/// bodies through untouched; register your own for other formats.
/// </summary>
public interface IMessageSerializer
{
    /// <summary>The content type written on messages this serializer produced, e.g. <c>application/json</c>.</summary>
    string ContentType { get; }

    /// <summary>True when this serializer reads bodies of <paramref name="mediaType"/> (lower case, parameters such as <c>charset</c> removed).</summary>
    bool CanDeserialize(string mediaType);

    /// <summary>Serializes <paramref name="message"/> of <paramref name="messageType"/>.</summary>
    byte[] Serialize(object message, Type messageType);

    /// <summary>
    /// Reads a body as <paramref name="messageType"/>. Throw anything on bad input: ActorMq turns it into a
    /// (permanent) <see cref="DeserializationException"/> carrying the payload's first bytes.
    /// </summary>
    object? Deserialize(ReadOnlyMemory<byte> body, Type messageType);
}
