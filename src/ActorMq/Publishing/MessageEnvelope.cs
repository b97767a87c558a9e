using System.Diagnostics;
using RabbitMQ.Client;

namespace ActorMq.Publishing;

/// <summary>
/// The properties every ActorMq message carries: persistent (delivery mode 2), a message id (generated when absent),
/// a timestamp, the content type and the W3C <c>traceparent</c> (and <c>tracestate</c>) of <see cref="Activity.Current"/>.
/// </summary>
internal static class MessageEnvelope
{
    /// <summary>The W3C trace context header.</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>The W3C trace state header.</summary>
    public const string TraceStateHeader = "tracestate";

    /// <summary>A new message id: a time-ordered GUID (version 7), 32 hex digits.</summary>
    public static string NewMessageId() => Guid.CreateVersion7().ToString("N");

    /// <summary>Builds the properties of a message to publish.</summary>
    /// <param name="contentType">The body's content type.</param>
    /// <param name="messageId">The caller's message id, or <c>null</c> to generate one.</param>
    /// <param name="headers">The caller's headers (copied, never modified), or <c>null</c>.</param>
    /// <param name="now">The timestamp to write.</param>
    /// <param name="activity">The activity whose trace context to carry (normally <see cref="Activity.Current"/>).</param>
    public static BasicProperties Create(string contentType, string? messageId, IEnumerable<KeyValuePair<string, object?>>? headers,
        DateTimeOffset now, Activity? activity)
    {
        var table = headers is null ? new Dictionary<string, object?>(StringComparer.Ordinal) : new Dictionary<string, object?>(headers, StringComparer.Ordinal);
        if (activity is not null && activity.IdFormat == ActivityIdFormat.W3C && !table.ContainsKey(TraceParentHeader))
        {
            table[TraceParentHeader] = activity.Id;
            if (!string.IsNullOrEmpty(activity.TraceStateString)) table[TraceStateHeader] = activity.TraceStateString;
        }
        return new BasicProperties
        {
            Persistent = true,
            MessageId = string.IsNullOrEmpty(messageId) ? NewMessageId() : messageId,
            Timestamp = new AmqpTimestamp(now.ToUnixTimeSeconds()),
            ContentType = contentType,
            Headers = table,
        };
    }

    /// <summary>
    /// A copy of a delivery's properties for republishing (retry tier, replay): same id, type, headers (copied), persistent.
    /// The broker's and the client's own bookkeeping headers (<c>x-death</c>, <c>x-first-death-*</c>, <c>x-last-death-*</c>,
    /// <c>x-dotnet-pub-seq-no</c>) are dropped: they describe the old copy, and RabbitMQ 3.13+ ignores client-set death headers.
    /// So is a <c>user_id</c> that is not one of <paramref name="connectionUsers"/>: the broker refuses a publish whose
    /// user_id is not the connection's user, so the original publisher's would stop the copy for ever.
    /// </summary>
    public static BasicProperties CopyForRepublish(IReadOnlyBasicProperties source, IDictionary<string, object?> headers, IReadOnlySet<string> connectionUsers)
    {
        foreach (var key in headers.Keys.Where(IsBookkeepingHeader).ToList()) headers.Remove(key);
        return KeepOwnUserId(new BasicProperties(source) { Persistent = true, Headers = headers }, connectionUsers);
    }

    /// <summary>Drops <paramref name="properties"/>' <c>user_id</c> unless it is one of <paramref name="connectionUsers"/>.</summary>
    public static BasicProperties KeepOwnUserId(BasicProperties properties, IReadOnlySet<string> connectionUsers)
    {
        if (properties.UserId is { } user && !connectionUsers.Contains(user)) properties.UserId = null;
        return properties;
    }

    /// <summary>True for headers the broker or RabbitMQ.Client writes for their own bookkeeping.</summary>
    public static bool IsBookkeepingHeader(string name) =>
        name is "x-death" or "x-dotnet-pub-seq-no"
        || name.StartsWith("x-first-death-", StringComparison.Ordinal)
        || name.StartsWith("x-last-death-", StringComparison.Ordinal);

    /// <summary>The trace context carried by a delivery's headers, or <c>default</c> when absent or malformed.</summary>
    public static ActivityContext ExtractTraceContext(IDictionary<string, object?>? headers)
    {
        if (headers is null || !headers.TryGetValue(TraceParentHeader, out var parent)) return default;
        var traceParent = Text(parent);
        var traceState = headers.TryGetValue(TraceStateHeader, out var state) ? Text(state) : null;
        return traceParent is not null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;
    }

    /// <summary>Rejects a body larger than <paramref name="limit"/> bytes.</summary>
    /// <exception cref="MessageTooLargeException">The body is larger.</exception>
    public static void EnsureSize(long size, long limit, string where, string settingPath)
    {
        if (size > limit) throw new MessageTooLargeException(where, size, limit, settingPath);
    }

    private static string? Text(object? value) => value switch
    {
        string s => s,
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        _ => null,
    };
}
