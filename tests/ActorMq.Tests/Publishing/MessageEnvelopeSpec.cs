using System.Diagnostics;
using System.Text;
using ActorMq.Publishing;
using RabbitMQ.Client;
using Xunit;

namespace ActorMq.Tests.Publishing;

public sealed class MessageEnvelopeSpec
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Envelope_must_be_persistent_with_id_timestamp_and_content_type()
    {
        var properties = MessageEnvelope.Create("application/json", null, null, Now, activity: null);
        Assert.True(properties.Persistent);
        Assert.Equal(DeliveryModes.Persistent, properties.DeliveryMode);
        Assert.Matches("^[0-9a-f]{32}$", properties.MessageId!);
        Assert.Equal(Now.ToUnixTimeSeconds(), properties.Timestamp.UnixTime);
        Assert.Equal("application/json", properties.ContentType);
        Assert.NotNull(properties.Headers);
        Assert.False(properties.Headers.ContainsKey(MessageEnvelope.TraceParentHeader));
    }

    [Fact]
    public void Envelope_must_keep_a_given_message_id_and_copy_the_headers()
    {
        var headers = new Dictionary<string, object?> { ["tenant"] = "acme" };
        var properties = MessageEnvelope.Create("application/json", "m-1", headers, Now, null);
        Assert.Equal("m-1", properties.MessageId);
        Assert.Equal("acme", properties.Headers!["tenant"]);
        properties.Headers["extra"] = 1;
        Assert.Single(headers);
    }

    [Fact]
    public void Generated_message_ids_must_be_unique()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => MessageEnvelope.NewMessageId()).ToHashSet();
        Assert.Equal(1000, ids.Count);
    }

    [Fact]
    public void Envelope_must_carry_the_current_trace_context_and_round_trip_it()
    {
        using var activity = new Activity("publish").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.TraceStateString = "vendor=1";
        var properties = MessageEnvelope.Create("application/json", null, null, Now, activity);
        Assert.Equal(activity.Id, properties.Headers![MessageEnvelope.TraceParentHeader]);
        Assert.Equal("vendor=1", properties.Headers[MessageEnvelope.TraceStateHeader]);

        // RabbitMQ.Client 7 hands string headers back as byte[]
        var received = properties.Headers.ToDictionary(h => h.Key, h => h.Value is string s ? (object?)Encoding.UTF8.GetBytes(s) : h.Value);
        var context = MessageEnvelope.ExtractTraceContext(received);
        Assert.Equal(activity.TraceId, context.TraceId);
        Assert.Equal(activity.SpanId, context.SpanId);
        Assert.True(context.IsRemote);
        Assert.Equal("vendor=1", context.TraceState);
    }

    [Fact]
    public void Envelope_must_not_overwrite_a_traceparent_the_caller_set()
    {
        using var activity = new Activity("publish").SetIdFormat(ActivityIdFormat.W3C).Start();
        var given = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var properties = MessageEnvelope.Create("application/json", null, new Dictionary<string, object?> { ["traceparent"] = given }, Now, activity);
        Assert.Equal(given, properties.Headers!["traceparent"]);
    }

    [Fact]
    public void ExtractTraceContext_must_ignore_absent_or_malformed_headers()
    {
        Assert.Equal(default, MessageEnvelope.ExtractTraceContext(null));
        Assert.Equal(default, MessageEnvelope.ExtractTraceContext(new Dictionary<string, object?> { ["traceparent"] = "garbage" }));
        Assert.Equal(default, MessageEnvelope.ExtractTraceContext(new Dictionary<string, object?> { ["traceparent"] = 42 }));
    }

    [Fact]
    public void CopyForRepublish_must_keep_the_properties_and_use_the_new_headers()
    {
        var original = MessageEnvelope.Create("application/json", "m-9", null, Now, null);
        original.CorrelationId = "c-1";
        var headers = new Dictionary<string, object?> { ["retry-count"] = 1 };
        var copy = MessageEnvelope.CopyForRepublish(original, headers, new HashSet<string> { "guest" });
        Assert.Equal(("m-9", "c-1", "application/json"), (copy.MessageId, copy.CorrelationId, copy.ContentType));
        Assert.True(copy.Persistent);
        Assert.Same(headers, copy.Headers);
    }

    [Fact]
    public void CopyForRepublish_must_keep_a_user_id_only_when_it_is_a_connection_user()
    {
        var original = MessageEnvelope.Create("application/json", "m-9", null, Now, null);
        original.UserId = "billing-service";
        var users = new HashSet<string> { "guest", "orders-service" };
        Assert.Null(MessageEnvelope.CopyForRepublish(original, new Dictionary<string, object?>(), users).UserId);
        original.UserId = "orders-service";
        Assert.Equal("orders-service", MessageEnvelope.CopyForRepublish(original, new Dictionary<string, object?>(), users).UserId);
    }

    [Fact]
    public void EnsureSize_must_name_the_target_and_the_setting()
    {
        MessageEnvelope.EnsureSize(10, 10, "exchange 'shop'", "actormq.publisher.max-message-size");
        var error = Assert.Throws<MessageTooLargeException>(() => MessageEnvelope.EnsureSize(11, 10, "exchange 'shop'", "actormq.publisher.max-message-size"));
        Assert.Contains("exchange 'shop'", error.Message);
        Assert.Contains("actormq.publisher.max-message-size", error.Message);
        Assert.Equal((11L, 10L), (error.Size, error.Limit));
    }
}
