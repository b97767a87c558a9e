using ActorMq.Consuming;
using ActorMq.Retry;
using RabbitMQ.Client;

namespace ActorMq.DeadStore;

/// <summary>Turns a failed delivery into a <see cref="DeadLetter"/> row, and a row back into publishable properties.</summary>
internal static class DeadLetterMapping
{
    public static DeadLetter FromDelivery(string queue, Delivery delivery, Exception error, int attempts, DateTimeOffset deadAt, string attemptHeader)
    {
        var p = delivery.Properties;
        var headers = p.Headers is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(p.Headers);
        var failureHeaders = FailureHeaders.With(headers, new FailureInfo(error, deadAt, delivery.Exchange, delivery.RoutingKey)
            { RetryCopy = FailureHeaders.IsRetryCopy(headers, queue) }, int.MaxValue);
        var firstFailedAt = FirstFailedAt(failureHeaders) ?? deadAt;
        failureHeaders.Remove(attemptHeader);
        return new DeadLetter
        {
            MessageId = p.MessageId,
            Queue = queue,
            Exchange = Text(failureHeaders, FailureHeaders.OriginalExchange) ?? delivery.Exchange,
            RoutingKey = Text(failureHeaders, FailureHeaders.OriginalRoutingKey) ?? delivery.RoutingKey,
            Properties = DeadLetterProperties.From(p),
            Headers = failureHeaders,
            Body = delivery.Body,
            ErrorType = error.GetType().FullName ?? error.GetType().Name,
            ErrorMessage = error.Message,
            ErrorDetail = error.ToString(),
            Attempts = attempts,
            FirstFailedAt = firstFailedAt,
            DeadAt = deadAt,
        };
    }

    private static DateTimeOffset? FirstFailedAt(IDictionary<string, object?> headers) =>
        (Text(headers, FailureHeaders.FirstFailedAt) ?? Text(headers, FailureHeaders.FailedAt)) is { } text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static string? Text(IDictionary<string, object?> headers, string name) => headers.TryGetValue(name, out var value)
        ? value switch { string s => s, byte[] b => System.Text.Encoding.UTF8.GetString(b), _ => null }
        : null;
}
