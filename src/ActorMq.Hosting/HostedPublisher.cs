using ActorMq.Publishing;

namespace ActorMq.Hosting;

/// <summary>
/// The injectable <see cref="IPublisher"/>: the started <see cref="ActorMqClient"/>, or, before the start, a publisher
/// that waits for it (so hosted services constructed before ActorMq starts can take it in their constructors).
/// </summary>
internal sealed class HostedPublisher(ActorMqRuntime runtime) : IPublisher
{
    public Task<Published> PublishAsync<TMessage>(string exchange, string routingKey, TMessage message, PublishOptions? options = null,
        CancellationToken cancellationToken = default) where TMessage : notnull =>
        runtime.CurrentClient is { } client
            ? client.PublishAsync(exchange, routingKey, message, options, cancellationToken)
            : PublishWhenStartedAsync(c => c.PublishAsync(exchange, routingKey, message, options, cancellationToken), cancellationToken);

    public Task<Published> SendAsync<TMessage>(string queue, TMessage message, PublishOptions? options = null, CancellationToken cancellationToken = default)
        where TMessage : notnull =>
        runtime.CurrentClient is { } client
            ? client.SendAsync(queue, message, options, cancellationToken)
            : PublishWhenStartedAsync(c => c.SendAsync(queue, message, options, cancellationToken), cancellationToken);

    private async Task<Published> PublishWhenStartedAsync(Func<ActorMqClient, Task<Published>> publish, CancellationToken cancellationToken)
    {
        var client = await runtime.WhenStarted.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await publish(client).ConfigureAwait(false);
    }
}
