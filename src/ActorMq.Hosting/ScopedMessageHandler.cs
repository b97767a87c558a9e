using ActorMq.Consuming;
using Microsoft.Extensions.DependencyInjection;

namespace ActorMq.Hosting;

/// <summary>
/// One per HandlerActor: handles each message with a <typeparamref name="THandler"/> from a new service scope (the
/// registered service, or one built by <see cref="ActivatorUtilities"/> and disposed with the scope's end).
/// </summary>
internal sealed class ScopedMessageHandler<TMessage, THandler>(IServiceScopeFactory scopes) : IMessageHandler<TMessage>
    where THandler : class, IMessageHandler<TMessage>
{
    private static readonly ObjectFactory<THandler> Construct = ActivatorUtilities.CreateFactory<THandler>([]);

    /// <summary>The factory ActorMq calls once per HandlerActor.</summary>
    public static Func<IMessageHandler<TMessage>> Factory(IServiceProvider services)
    {
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        return () => new ScopedMessageHandler<TMessage, THandler>(scopes);
    }

    public async Task HandleAsync(TMessage message, MessageContext context, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var registered = scope.ServiceProvider.GetService<THandler>();
            var handler = registered ?? Construct(scope.ServiceProvider, null);
            try
            {
                await handler.HandleAsync(message, context, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // The container disposes what it created; the handler built here is ours.
                if (registered is null)
                {
                    if (handler is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    else (handler as IDisposable)?.Dispose();
                }
            }
        }
    }
}
