using System.Text.Json;

namespace ActorMq.Serialization;

/// <summary>System.Text.Json: writes <c>application/json</c>, reads <c>application/json</c>, <c>text/json</c> and <c>application/*+json</c>.</summary>
public sealed class JsonMessageSerializer : IMessageSerializer
{
    private readonly JsonSerializerOptions _options;

    /// <summary>Creates the serializer with <paramref name="options"/>, or System.Text.Json's web defaults (camelCase, case-insensitive reads).</summary>
    public JsonMessageSerializer(JsonSerializerOptions? options = null) => _options = options ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);

    /// <inheritdoc />
    public string ContentType => "application/json";

    /// <inheritdoc />
    public bool CanDeserialize(string mediaType) =>
        mediaType is "application/json" or "text/json"
        || (mediaType.StartsWith("application/", StringComparison.Ordinal) && mediaType.EndsWith("+json", StringComparison.Ordinal));

    /// <inheritdoc />
    public byte[] Serialize(object message, Type messageType) => JsonSerializer.SerializeToUtf8Bytes(message, messageType, _options);

    /// <inheritdoc />
    public object? Deserialize(ReadOnlyMemory<byte> body, Type messageType) => JsonSerializer.Deserialize(body.Span, messageType, _options);
}
