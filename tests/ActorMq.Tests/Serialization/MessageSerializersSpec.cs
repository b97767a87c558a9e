using System.Text;
using ActorMq.Serialization;
using Xunit;

namespace ActorMq.Tests.Serialization;

public sealed class MessageSerializersSpec
{
    public sealed record OrderPlaced(string OrderId, decimal Amount);

    private readonly MessageSerializers _serializers = new();

    [Fact]
    public void Serializers_must_round_trip_a_typed_message_as_json()
    {
        var (body, contentType) = _serializers.Serialize(new OrderPlaced("o-1", 12.5m), typeof(OrderPlaced));
        Assert.Equal("application/json", contentType);
        Assert.Equal("""{"orderId":"o-1","amount":12.5}""", Encoding.UTF8.GetString(body.Span));
        var back = _serializers.Deserialize(body, contentType, typeof(OrderPlaced), "application/json");
        Assert.Equal(new OrderPlaced("o-1", 12.5m), back);
    }

    [Fact]
    public void Serializers_must_pass_raw_bytes_through()
    {
        var bytes = new byte[] { 0, 1, 2, 255 };
        var (body, contentType) = _serializers.Serialize(bytes, typeof(byte[]));
        Assert.Equal(MessageSerializers.OctetStream, contentType);
        Assert.Equal(bytes, body.ToArray());
        var (memoryBody, memoryType) = _serializers.Serialize(new ReadOnlyMemory<byte>(bytes), typeof(ReadOnlyMemory<byte>), "image/png");
        Assert.Equal("image/png", memoryType);
        Assert.Equal(bytes, memoryBody.ToArray());

        var asBytes = Assert.IsType<byte[]>(_serializers.Deserialize(bytes, "text/whatever", typeof(byte[]), "application/json"));
        Assert.Equal(bytes, asBytes);
        Assert.NotSame(bytes, asBytes);
        var asMemory = Assert.IsType<ReadOnlyMemory<byte>>(_serializers.Deserialize(bytes, null, typeof(ReadOnlyMemory<byte>), "application/json"));
        Assert.Equal(bytes, asMemory.ToArray());
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    [InlineData("text/json")]
    [InlineData("application/vnd.shop.order+json")]
    [InlineData(null)]
    [InlineData("")]
    public void Serializers_must_negotiate_json_content_types(string? contentType)
    {
        var body = Encoding.UTF8.GetBytes("""{"orderId":"o-2","amount":1}""");
        Assert.Equal(new OrderPlaced("o-2", 1), _serializers.Deserialize(body, contentType, typeof(OrderPlaced), "application/json"));
    }

    [Fact]
    public void Malformed_json_must_be_a_deserialization_error_with_the_payload_start()
    {
        var body = Encoding.UTF8.GetBytes("{\"orderId\": \"o-3\", \"amount\": oops}");
        var error = Assert.Throws<DeserializationException>(() => _serializers.Deserialize(body, "application/json", typeof(OrderPlaced), "application/json"));
        Assert.Equal("application/json", error.ContentType);
        Assert.Equal(typeof(OrderPlaced), error.TargetType);
        Assert.StartsWith("{\"orderId\": \"o-3\"", error.PayloadPreview);
        Assert.Contains("JsonException", error.Message);
        Assert.Contains(typeof(OrderPlaced).FullName!, error.Message);
        Assert.IsAssignableFrom<PermanentFailureException>(error);
    }

    [Fact]
    public void An_unknown_content_type_must_be_a_deserialization_error_naming_it()
    {
        var error = Assert.Throws<DeserializationException>(() =>
            _serializers.Deserialize(Encoding.UTF8.GetBytes("<order/>"), "application/xml", typeof(OrderPlaced), "application/json"));
        Assert.Contains("'application/xml'", error.Message);
        Assert.Contains("application/json", error.Message);
        Assert.Equal("<order/>", error.PayloadPreview);
    }

    [Fact]
    public void A_json_null_body_must_be_a_deserialization_error()
    {
        var error = Assert.Throws<DeserializationException>(() =>
            _serializers.Deserialize(Encoding.UTF8.GetBytes("null"), "application/json", typeof(OrderPlaced), "application/json"));
        Assert.Contains("null value", error.Message);
    }

    [Fact]
    public void A_custom_serializer_must_be_chosen_by_content_type()
    {
        var serializers = new MessageSerializers(new JsonMessageSerializer(), new UpperTextSerializer());
        Assert.Equal("HELLO", serializers.Deserialize(Encoding.UTF8.GetBytes("hello"), "text/plain; charset=utf-8", typeof(string), "application/json"));
        Assert.Equal("application/json", serializers.Serialize("x", typeof(string)).ContentType);
    }

    private sealed class UpperTextSerializer : IMessageSerializer
    {
        public string ContentType => "text/plain";
        public bool CanDeserialize(string mediaType) => mediaType == "text/plain";
        public byte[] Serialize(object message, Type messageType) => Encoding.UTF8.GetBytes((string)message);
        public object? Deserialize(ReadOnlyMemory<byte> body, Type messageType) => Encoding.UTF8.GetString(body.Span).ToUpperInvariant();
    }
}
