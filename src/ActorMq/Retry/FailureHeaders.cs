using System.Globalization;

namespace ActorMq.Retry;

/// <summary>Why and where a message failed, written into its headers on retry and dead-store.</summary>
/// <param name="Error">The failure.</param>
/// <param name="FailedAt">When it failed.</param>
/// <param name="Exchange">The exchange the failed delivery came through.</param>
/// <param name="RoutingKey">The routing key of the failed delivery.</param>
public sealed record FailureInfo(Exception Error, DateTimeOffset FailedAt, string Exchange, string RoutingKey);

/// <summary>
/// The failure headers: <c>error-type</c> (exception full type name), <c>error-message</c> (truncated to
/// <c>actormq.retry.error-message-max-length</c> characters), <c>failed-at</c> (ISO-8601 UTC), <c>original-exchange</c>
/// and <c>original-routing-key</c> (written on the first failure only, so a retried message keeps the address it was first
/// published to, not the retry path). Never an <c>x-</c> header: RabbitMQ 3.13+ ignores client-set <c>x-</c> death headers.
/// </summary>
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

    /// <summary>
    /// A new header table: a copy of <paramref name="original"/> (never modified) with the failure headers set.
    /// </summary>
    /// <param name="original">The failed delivery's headers, or <c>null</c>.</param>
    /// <param name="failure">What failed, when and where.</param>
    /// <param name="maxMessageLength">The longest <c>error-message</c> kept, in characters; longer ones end in <c>…</c>.</param>
    public static Dictionary<string, object?> With(IEnumerable<KeyValuePair<string, object?>>? original, FailureInfo failure, int maxMessageLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageLength, 1);
        var headers = original is null ? new Dictionary<string, object?>(StringComparer.Ordinal) : new Dictionary<string, object?>(original, StringComparer.Ordinal);
        headers[ErrorType] = failure.Error.GetType().FullName ?? failure.Error.GetType().Name;
        headers[ErrorMessage] = Truncate(failure.Error.Message, maxMessageLength);
        headers[FailedAt] = failure.FailedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        headers.TryAdd(FirstFailedAt, headers[FailedAt]);
        headers.TryAdd(OriginalExchange, failure.Exchange);
        headers.TryAdd(OriginalRoutingKey, failure.RoutingKey);
        return headers;
    }

    /// <summary><paramref name="text"/> cut to <paramref name="max"/> characters, the last one being <c>…</c> when cut.</summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max) return text;
        var keep = max - 1;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1])) keep--; // never split a surrogate pair
        return string.Concat(text.AsSpan(0, keep), "…");
    }
}
