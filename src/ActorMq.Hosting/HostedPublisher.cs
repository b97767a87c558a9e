using Akka.Actor;
using ActorMq.Publishing;

namespace ActorMq.Hosting;

/// <summary>
/// The injectable <see cref="IPublisher"/>: the started <see cref="ActorMqClient"/>, or, before the start, a publisher
/// that waits for it (so hosted services constructed before Akka.Hosting started the actors can take it).
/// </summary>
internal sealed class HostedPublisher(ActorSystem system) : IPublisher
{
    private readonly HostedClient _hosted = HostedClient.For(system);

    public Task<Published> PublishAsync<TMessage>(string exchange, string routingKey, TMessage message, PublishOptions? options = null,
        CancellationToken cancellationToken = default) where TMessage : notnull =>
        _hosted.Current is { } client
            ? client.PublishAsync(exchange, routingKey, message, options, cancellationToken)
            : PublishWhenStartedAsync(c => c.PublishAsync(exchange, routingKey, message, options, cancellationToken), cancellationToken);

    public Task<Published> SendAsync<TMessage>(string queue, TMessage message, PublishOptions? options = null, CancellationToken cancellationToken = default)
        where TMessage : notnull =>
        _hosted.Current is { } client
            ? client.SendAsync(queue, message, options, cancellationToken)
            : PublishWhenStartedAsync(c => c.SendAsync(queue, message, options, cancellationToken), cancellationToken);

    private async Task<Published> PublishWhenStartedAsync(Func<ActorMqClient, Task<Published>> publish, CancellationToken cancellationToken)
    {
        var client = await _hosted.WhenStarted.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await publish(client).ConfigureAwait(false);
    }
}
