using ActorMq.Publishing;

namespace ActorMq;

/// <summary>Publishing for non-actor code (controllers, services); <see cref="ActorMqClient"/> implements it, and hosting registers it.</summary>
public interface IPublisher
{
    /// <summary>Serializes and publishes <paramref name="message"/> to <paramref name="exchange"/>; completes on the broker's confirm.</summary>
    Task<Published> PublishAsync<TMessage>(string exchange, string routingKey, TMessage message, PublishOptions? options = null,
        CancellationToken cancellationToken = default) where TMessage : notnull;

    /// <summary>Publishes straight to <paramref name="queue"/> through the default exchange; completes on the broker's confirm.</summary>
    Task<Published> SendAsync<TMessage>(string queue, TMessage message, PublishOptions? options = null, CancellationToken cancellationToken = default)
        where TMessage : notnull;
}
