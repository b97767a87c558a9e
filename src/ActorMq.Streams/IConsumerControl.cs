namespace ActorMq.Streams;

/// <summary>
/// Controls a running <see cref="ActorMqSource.Committable{T}"/> (its materialized value), as Akka.Streams.Kafka's
/// consumer control and DrainingControl do.
/// </summary>
public interface IConsumerControl
{
    /// <summary>
    /// Stops taking deliveries: cancels the broker consumer, gives back what the source had received but not emitted, and
    /// completes the source. Elements already emitted can still be settled. Completes when the broker consumer is cancelled.
    /// </summary>
    Task StopAsync();

    /// <summary>
    /// Stops at once: flushes the acks written so far, closes the channel — every unsettled delivery is redelivered by the
    /// broker, and its settle reports <see cref="SettleOutcome.WillBeRedelivered"/> — and completes the source. Failures on
    /// their way to a retry tier or the dead store get up to <c>drain-timeout</c> to become durable first.
    /// Completes when the channel is closed.
    /// </summary>
    Task ShutdownAsync();

    /// <summary>
    /// Drains, then shuts down: <see cref="StopAsync"/>, then waits for <paramref name="streamCompletion"/> (the stream's
    /// completion, e.g. the sink's materialized task) so that the elements in flight finish and settle, then
    /// <see cref="ShutdownAsync"/>. Returns the stream's result; a stream that failed fails it, after the shutdown.
    /// </summary>
    /// <param name="streamCompletion">Completes when the stream has completed.</param>
    Task<TResult> DrainAndShutdownAsync<TResult>(Task<TResult> streamCompletion);

    /// <inheritdoc cref="DrainAndShutdownAsync{TResult}(Task{TResult})"/>
    Task DrainAndShutdownAsync(Task streamCompletion);

    /// <summary>Completes when the source's consumer has stopped and its channel is closed (by a shutdown or when the stream ended).</summary>
    Task WhenShutdown { get; }
}
