using Akka;
using Akka.Pattern;
using Akka.Streams.Dsl;

namespace ActorMq.Streams;

/// <summary>Akka.Streams flows over ActorMq's publishers.</summary>
public static class ActorMqFlow
{
    private static readonly TimeSpan BackPressureRetry = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Publishes each request through ActorMq's publishers (persistent, message id, timestamp, trace context, mandatory, confirms)
    /// with at most <paramref name="parallelism"/> awaiting their confirms, and emits each one's
    /// <see cref="PublishResult{TPassThrough}"/> in input order. A returned (unroutable) or refused publish is a failed result,
    /// not a failed stream — unless <paramref name="failOnError"/>. While the link is down or the broker blocks publishing the
    /// requests wait for the publisher (and, when its buffer is full, are offered again), so the flow back-pressures instead of
    /// failing.
    /// </summary>
    /// <param name="client">The started ActorMq client.</param>
    /// <param name="parallelism">Publishes awaiting their confirms at most (≥ 1).</param>
    /// <param name="failOnError">Fail the stream on the first failed publish instead of emitting a failed result.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parallelism"/> is less than 1.</exception>
    public static Flow<PublishRequest<T, TPassThrough>, PublishResult<TPassThrough>, NotUsed> Publish<T, TPassThrough>(ActorMqClient client, int parallelism,
        bool failOnError = false) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(client);
        if (parallelism < 1)
            throw new ArgumentOutOfRangeException(nameof(parallelism), parallelism, "ActorMqFlow.Publish needs parallelism ≥ 1 (publishes awaiting their confirms)");
        return Flow.Create<PublishRequest<T, TPassThrough>>()
            .SelectAsync(parallelism, request => PublishOneAsync(client, request, failOnError))
            .Named("actormq-publish");
    }

    private static async Task<PublishResult<TPassThrough>> PublishOneAsync<T, TPassThrough>(ActorMqClient client, PublishRequest<T, TPassThrough> request,
        bool failOnError) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(request);
        while (true)
        {
            try
            {
                var published = await client.PublishAsync(request.Exchange, request.RoutingKey, request.Message, request.Options).ConfigureAwait(false);
                return new PublishResult<TPassThrough>(request.PassThrough, published.MessageId, null);
            }
            catch (BackPressureException)
            {
                // The publisher's buffer is full (link down or blocked): this element waits, and the stream with it.
                await FutureTimeoutSupport.After(BackPressureRetry, client.System.Scheduler, () => Task.FromResult(Done.Instance)).ConfigureAwait(false);
            }
            catch (Exception e) when (!failOnError)
            {
                return new PublishResult<TPassThrough>(request.PassThrough, null, e);
            }
        }
    }
}

/// <summary>Akka.Streams sinks over ActorMq.</summary>
public static class ActorMqSink
{
    /// <summary>
    /// Publishes every element as <see cref="ActorMqFlow.Publish{T, TPassThrough}"/> does (at most <paramref name="parallelism"/>
    /// awaiting their confirms); the materialized task completes when every element is confirmed, or fails with the first
    /// failed publish (the stream stops there).
    /// </summary>
    /// <param name="client">The started ActorMq client.</param>
    /// <param name="parallelism">Publishes awaiting their confirms at most (≥ 1).</param>
    public static Sink<PublishRequest<T, NotUsed>, Task> Publish<T>(ActorMqClient client, int parallelism = 512) where T : notnull =>
        ActorMqFlow.Publish<T, NotUsed>(client, parallelism, failOnError: true)
            .ToMaterialized(Sink.Ignore<PublishResult<NotUsed>>(), Keep.Right)
            .MapMaterializedValue(done => (Task)done);
}

/// <summary>Settles committable deliveries in bulk, so that acks are coalesced with <c>multiple</c> and a stream reaches the consume ceiling.</summary>
public static class ActorMqCommitter
{
    /// <summary>
    /// Acks every element, with up to <paramref name="parallelism"/> acks outstanding so that the source coalesces them
    /// (<c>ack-batch-size</c> per <c>multiple</c> ack, exact). The materialized task completes when the stream completed and
    /// every ack was written (a delivery whose channel was lost is redelivered instead; see <see cref="SettleOutcome"/>).
    /// </summary>
    /// <param name="parallelism">Acks outstanding at most (≥ 1); more than the consumer's <c>prefetch</c> is never used.</param>
    public static Sink<CommittableDelivery<T>, Task> Sink<T>(int parallelism = 1024)
    {
        if (parallelism < 1)
            throw new ArgumentOutOfRangeException(nameof(parallelism), parallelism, "ActorMqCommitter.Sink needs parallelism ≥ 1 (acks outstanding)");
        return Flow.Create<CommittableDelivery<T>>()
            .SelectAsync(parallelism, delivery => delivery.AckAsync())
            .ToMaterialized(Akka.Streams.Dsl.Sink.Ignore<SettleOutcome>(), Keep.Right)
            .MapMaterializedValue(done => (Task)done);
    }
}
