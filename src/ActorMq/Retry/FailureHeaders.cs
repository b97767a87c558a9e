using System.Globalization;

namespace ActorMq.Retry;

/// <summary>Why and where a message failed, written into its headers on retry and dead-store.</summary>
/// <param name="Error">The failure.</param>
/// <param name="FailedAt">When it failed.</param>
/// <param name="Exchange">The exchange the failed delivery came through.</param>
/// <param name="RoutingKey">The routing key of the failed delivery.</param>
public sealed record FailureInfo(Exception Error, DateTimeOffset FailedAt, string Exchange, string RoutingKey)
{
    /// <summary>
    /// True when the failed delivery is ActorMq's own retry copy, back from a retry tier (see
    /// <see cref="FailureHeaders.IsRetryCopy"/>): its failure headers are ActorMq's and are kept. Otherwise any failure
    /// header on it came from its producer and is renamed <c>producer-*</c>.
    /// </summary>
    public bool RetryCopy { get; init; }
}

/// <summary>
/// The failure headers: <c>error-type</c> (exception full type name), <c>error-message</c> (truncated to
/// <c>actormq.retry.error-message-max-length</c> characters), <c>failed-at</c> (ISO-8601 UTC), <c>original-exchange</c>
/// and <c>original-routing-key</c> (written on the first failure only, so a retried message keeps the address it was first
/// published to, not the retry path). Never an <c>x-</c> header: RabbitMQ 3.13+ ignores client-set <c>x-</c> death headers.
/// </summary>
/// <remarks>
/// These headers are ActorMq's own: on a delivery that is not ActorMq's retry copy (its first failure), headers of these
/// names were set by whoever published it and are renamed <c>producer-original-exchange</c>, <c>producer-error-type</c>,
/// ... — still visible, never trusted. A producer cannot choose where a replay "to the original exchange" goes, nor what
/// error the dead letter shows.
/// </remarks>
public static class FailureHeaders
{
    /// <summary><c>error-type</c>.</summary>
    public const string ErrorType = "error-type";
    /// <summary><c>error-message</c>.</summary>
    public const string ErrorMessage = "error-message";
    /// <summary><c>failed-at</c>.</summary>
    public const string FailedAt = "failed-at";
    /// <summary><c>first-failed-at</c>: when the message failed for the first time (kept across retries).</summary>
    public const string FirstFailedAt = "first-failed-at";
    /// <summary><c>original-exchange</c>.</summary>
    public const string OriginalExchange = "original-exchange";
    /// <summary><c>original-routing-key</c>.</summary>
    public const string OriginalRoutingKey = "original-routing-key";

    /// <summary>The prefix a producer-supplied failure header is renamed with.</summary>
    public const string ProducerPrefix = "producer-";

    /// <summary>The names of ActorMq's failure headers.</summary>
    public static IReadOnlyList<string> Names { get; } = [ErrorType, ErrorMessage, FailedAt, FirstFailedAt, OriginalExchange, OriginalRoutingKey];

    /// <summary>
    /// A new header table: a copy of <paramref name="original"/> (never modified) with the failure headers set. Unless
    /// <see cref="FailureInfo.RetryCopy"/>, failure headers already present are the producer's and are renamed
    /// <see cref="ProducerPrefix"/><c>name</c> first.
    /// </summary>
    /// <param name="original">The failed delivery's headers, or <c>null</c>.</param>
    /// <param name="failure">What failed, when and where.</param>
    /// <param name="maxMessageLength">The longest <c>error-message</c> kept, in characters; longer ones end in <c>…</c>.</param>
    public static Dictionary<string, object?> With(IEnumerable<KeyValuePair<string, object?>>? original, FailureInfo failure, int maxMessageLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageLength, 1);
        var headers = original is null ? new Dictionary<string, object?>(StringComparer.Ordinal) : new Dictionary<string, object?>(original, StringComparer.Ordinal);
        if (!failure.RetryCopy)
        {
            foreach (var name in Names)
            {
                if (headers.Remove(name, out var forged)) headers[ProducerPrefix + name] = forged;
            }
        }
        headers[ErrorType] = failure.Error.GetType().FullName ?? failure.Error.GetType().Name;
        headers[ErrorMessage] = Truncate(failure.Error.Message, maxMessageLength);
        headers[FailedAt] = failure.FailedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        headers.TryAdd(FirstFailedAt, headers[FailedAt]);
        headers.TryAdd(OriginalExchange, failure.Exchange);
        headers.TryAdd(OriginalRoutingKey, failure.RoutingKey);
        return headers;
    }

    /// <summary>
    /// True when <paramref name="headers"/> show a copy that the broker dead-lettered back from a retry tier after its TTL:
    /// an <c>x-death</c> entry with reason <c>expired</c> for a queue other than <paramref name="queue"/>, published to
    /// that queue through the default exchange — the way ActorMq publishes retry copies. On RabbitMQ 3.13 and later the
    /// broker ignores client-set death headers, so a producer cannot make this true; on older brokers a producer that
    /// forges <c>x-death</c> can.
    /// </summary>
    public static bool IsRetryCopy(IDictionary<string, object?>? headers, string queue)
    {
        if (headers is null || !headers.TryGetValue("x-death", out var deaths) || deaths is not System.Collections.IEnumerable entries) return false;
        foreach (var entry in entries)
        {
            if (entry is not IDictionary<string, object?> death) continue;
            var tier = Text(death, "queue");
            if (Text(death, "reason") != "expired" || tier is null || tier == queue || Text(death, "exchange") != "") continue;
            if (death.TryGetValue("routing-keys", out var keys) && keys is System.Collections.IEnumerable list && list.Cast<object?>().Any(k => Text(k) == tier))
                return true;
        }
        return false;
    }

    /// <summary>A header table's text entry (AMQP strings arrive as bytes), or <c>null</c>.</summary>
    internal static string? Text(IDictionary<string, object?> table, string key) => table.TryGetValue(key, out var value) ? Text(value) : null;

    /// <summary>A header value as text (AMQP strings arrive as bytes), or <c>null</c> when it is not a string.</summary>
    internal static string? Text(object? value) => value switch
    {
        string s => s,
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        _ => null,
    };

    /// <summary><paramref name="text"/> cut to <paramref name="max"/> characters, the last one being <c>…</c> when cut.</summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max) return text;
        var keep = max - 1;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1])) keep--; // never split a surrogate pair
        return string.Concat(text.AsSpan(0, keep), "…");
    }
}
