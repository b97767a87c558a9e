using System.Text;
using ActorMq.DeadStore;
using RabbitMQ.Client;
using Xunit;
using static ActorMq.Tests.DeadStore.DeadLetterSamples;

namespace ActorMq.Tests.DeadStore;

public sealed class DeadLetterJsonSpec
{
    [Fact]
    public void Headers_must_round_trip_every_AMQP_type_with_its_type()
    {
        var headers = AllHeaderTypes();

        var back = DeadLetterJson.DeserializeHeaders(DeadLetterJson.SerializeHeaders(headers));

        AssertSameHeaders(headers, back);
        Assert.IsType<int>(back["retry-count"]);
        Assert.IsType<byte[]>(back["bytes-text"]);
        Assert.IsType<AmqpTimestamp>(back["timestamp"]);
        Assert.True(double.IsNaN((double)back["nan"]!));
    }

    [Fact]
    public void Headers_must_keep_utf8_byte_strings_readable_and_other_bytes_as_base64()
    {
        var json = DeadLetterJson.SerializeHeaders(new Dictionary<string, object?>
        {
            ["text"] = Encoding.UTF8.GetBytes("orders"),
            ["nul"] = new byte[] { (byte)'a', 0, (byte)'b' },
            ["invalid"] = new byte[] { 0xC3, 0x28 },
            ["count"] = 3,
        });

        Assert.Equal("""{"text":{"bytes":"orders"},"nul":{"bytes-base64":"YQBi"},"invalid":{"bytes-base64":"wyg="},"count":{"int32":3}}""", json);
    }

    [Fact]
    public void Headers_must_name_the_header_holding_a_type_AMQP_cannot_carry()
    {
        var error = Assert.Throws<ArgumentException>(() => DeadLetterJson.SerializeHeaders(new Dictionary<string, object?>
        {
            ["outer"] = new Dictionary<string, object?> { ["items"] = new List<object?> { 1, Guid.NewGuid() } },
        }));

        Assert.Contains("'outer.items[1]'", error.Message);
        Assert.Contains("System.Guid", error.Message);
    }

    [Theory]
    [InlineData("""{"a":{"int99":1}}""", "'a'", "unknown type tag")]
    [InlineData("""{"a":{"int8":300}}""", "'a'", "int8")]
    [InlineData("""{"a":{"table":{"b":5}}}""", "'a.b'", "tagged value")]
    [InlineData("""{"a":{"int32":1,"string":"x"}}""", "'a'", "exactly one tag")]
    [InlineData("""{"a":{}}""", "'a'", "no tag")]
    [InlineData("""[1]""", "headers", "JSON object")]
    [InlineData("""{"a":""", "headers", "not valid JSON")]
    public void Headers_must_reject_malformed_json_naming_the_header(string json, string named, string reason)
    {
        var error = Assert.Throws<FormatException>(() => DeadLetterJson.DeserializeHeaders(json));

        Assert.Contains(named, error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Properties_must_round_trip_and_leave_unset_properties_out()
    {
        var properties = new DeadLetterProperties { ContentType = "application/json", DeliveryMode = 2, Timestamp = 1_773_480_413, Priority = 0 };

        var json = DeadLetterJson.SerializeProperties(properties);

        Assert.Equal("""{"content_type":"application/json","delivery_mode":2,"priority":0,"timestamp":1773480413}""", json);
        Assert.Equal(properties, DeadLetterJson.DeserializeProperties(json));
        Assert.Equal(DeadLetterProperties.None, DeadLetterJson.DeserializeProperties(DeadLetterJson.SerializeProperties(DeadLetterProperties.None)));
    }

    [Fact]
    public void Properties_must_reject_a_value_of_the_wrong_type()
    {
        var error = Assert.Throws<FormatException>(() => DeadLetterJson.DeserializeProperties("""{"priority":"high"}"""));
        Assert.Contains("properties", error.Message);
    }
}

public sealed class DeadLetterPropertiesSpec
{
    [Fact]
    public void Properties_must_survive_the_trip_from_a_delivery_through_the_store_back_to_a_publish()
    {
        var delivered = new BasicProperties
        {
            ContentType = "application/json", ContentEncoding = "gzip", DeliveryMode = DeliveryModes.Persistent, Priority = 5,
            CorrelationId = "c", ReplyTo = "r", Expiration = "1000", MessageId = "m", Timestamp = new AmqpTimestamp(1_773_480_413),
            Type = "T", UserId = "guest", AppId = "app", ClusterId = "cl",
            Headers = new Dictionary<string, object?> { ["retry-count"] = 3 },
        };

        var stored = DeadLetterJson.DeserializeProperties(DeadLetterJson.SerializeProperties(DeadLetterProperties.From(delivered)));
        var headers = new Dictionary<string, object?> { ["retry-count"] = 0 };
        var republished = stored.ToBasicProperties(headers);

        Assert.Equal(delivered.ContentType, republished.ContentType);
        Assert.Equal(delivered.ContentEncoding, republished.ContentEncoding);
        Assert.Equal(DeliveryModes.Persistent, republished.DeliveryMode);
        Assert.Equal(delivered.Priority, republished.Priority);
        Assert.Equal(delivered.CorrelationId, republished.CorrelationId);
        Assert.Equal(delivered.ReplyTo, republished.ReplyTo);
        Assert.Equal(delivered.Expiration, republished.Expiration);
        Assert.Equal(delivered.MessageId, republished.MessageId);
        Assert.Equal(delivered.Timestamp, republished.Timestamp);
        Assert.Equal(delivered.Type, republished.Type);
        Assert.Equal(delivered.UserId, republished.UserId);
        Assert.Equal(delivered.AppId, republished.AppId);
        Assert.Equal(delivered.ClusterId, republished.ClusterId);
        Assert.Same(headers, republished.Headers);
    }

    [Fact]
    public void Properties_must_leave_absent_properties_absent()
    {
        var republished = DeadLetterProperties.From(new BasicProperties { ContentType = "text/plain" }).ToBasicProperties(null);

        Assert.True(republished.IsContentTypePresent());
        Assert.False(republished.IsDeliveryModePresent());
        Assert.False(republished.IsPriorityPresent());
        Assert.False(republished.IsTimestampPresent());
        Assert.False(republished.IsMessageIdPresent());
        Assert.False(republished.IsHeadersPresent());
    }
}
