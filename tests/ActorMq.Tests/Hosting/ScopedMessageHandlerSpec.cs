using ActorMq.Consuming;
using ActorMq.Hosting;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using Xunit;

namespace ActorMq.Tests.Hosting;

/// <summary>How AddHandler's DI handlers are made: a scope per message, registered handlers from the scope, others built and disposed.</summary>
public sealed class ScopedMessageHandlerSpec
{
    public sealed record Ping(string Id);

    public sealed class Seen
    {
        public List<(string Id, object Handler, Guid Scope)> Calls { get; } = [];

        public int Disposed;
    }

    public sealed class ScopeId
    {
        public Guid Value { get; } = Guid.NewGuid();
    }

    public sealed class PingHandler(Seen seen, ScopeId scope) : IMessageHandler<Ping>, IAsyncDisposable
    {
        public Task HandleAsync(Ping message, MessageContext context, CancellationToken cancellationToken)
        {
            lock (seen) seen.Calls.Add((message.Id, this, scope.Value));
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            Interlocked.Increment(ref seen.Disposed);
            return ValueTask.CompletedTask;
        }
    }

    private static MessageContext Context() =>
        new("pings", "pings", new Delivery(1, 1, false, "", "pings", new BasicProperties(), ReadOnlyMemory<byte>.Empty), 1);

    private static async Task<Seen> HandleTwiceAsync(Action<IServiceCollection> register)
    {
        var seen = new Seen();
        var services = new ServiceCollection().AddSingleton(seen).AddScoped<ScopeId>();
        register(services);
        await using var provider = services.BuildServiceProvider(validateScopes: true);
        var handler = ScopedMessageHandler<Ping, PingHandler>.Factory(provider)();
        await handler.HandleAsync(new Ping("a"), Context(), CancellationToken.None);
        await handler.HandleAsync(new Ping("b"), Context(), CancellationToken.None);
        return seen;
    }

    [Fact]
    public async Task An_unregistered_handler_must_be_built_per_message_in_its_own_scope_and_disposed()
    {
        var seen = await HandleTwiceAsync(_ => { });
        Assert.Equal(["a", "b"], seen.Calls.Select(c => c.Id));
        Assert.NotSame(seen.Calls[0].Handler, seen.Calls[1].Handler);
        Assert.NotEqual(seen.Calls[0].Scope, seen.Calls[1].Scope);
        Assert.Equal(2, seen.Disposed);
    }

    [Fact]
    public async Task A_scoped_registered_handler_must_come_from_the_messages_scope_and_be_disposed_by_it()
    {
        var seen = await HandleTwiceAsync(s => s.AddScoped<PingHandler>());
        Assert.NotSame(seen.Calls[0].Handler, seen.Calls[1].Handler);
        Assert.NotEqual(seen.Calls[0].Scope, seen.Calls[1].Scope);
        Assert.Equal(2, seen.Disposed); // by the scopes, once each
    }

    [Fact]
    public async Task A_singleton_registered_handler_must_be_reused_and_not_disposed_per_message()
    {
        var seen = new Seen();
        var services = new ServiceCollection().AddSingleton(seen).AddSingleton(new ScopeId())
            .AddSingleton<PingHandler>();
        await using (var provider = services.BuildServiceProvider())
        {
            var handler = ScopedMessageHandler<Ping, PingHandler>.Factory(provider)();
            await handler.HandleAsync(new Ping("a"), Context(), CancellationToken.None);
            await handler.HandleAsync(new Ping("b"), Context(), CancellationToken.None);
            Assert.Same(seen.Calls[0].Handler, seen.Calls[1].Handler);
            Assert.Equal(0, seen.Disposed);
        }
        Assert.Equal(1, seen.Disposed); // by the container, at its end
    }
}
