namespace ActorMq.Consuming;

/// <summary>
/// User code that handles one message type for a consumer. Register it with
/// <see cref="ActorMqBuilder.AddHandler{TMessage, THandler}(string)"/>. One instance handles one message at a
/// time; with <c>concurrency = N</c> a consumer runs N instances in parallel.
/// </summary>
/// <typeparam name="TMessage">The message type, deserialized from the body; <c>byte[]</c> or
/// <c>ReadOnlyMemory&lt;byte&gt;</c> receive the raw body.</typeparam>
public interface IMessageHandler<in TMessage>
{
    /// <summary>
    /// Handles one message. Return normally and the delivery is acked; throw and it is retried through the
    /// consumer's retry tiers (or dead-stored at once when the exception is permanent, e.g.
    /// <see cref="PermanentFailureException"/>). <paramref name="cancellationToken"/> is cancelled when the
    /// consumer's <c>handler-timeout</c> elapses or ActorMq shuts down.
    /// </summary>
    Task HandleAsync(TMessage message, MessageContext context, CancellationToken cancellationToken);
}
