using Akka.Actor;

namespace ActorMq.Consuming;

/// <summary>How a consumer's messages reach user code: a typed delegate (also behind <see cref="IMessageHandler{TMessage}"/>)
/// or a user actor that replies <see cref="MessageHandled"/>.</summary>
internal abstract class HandlerRegistration(Type messageType)
{
    /// <summary>The type the body is deserialized to.</summary>
    public Type MessageType { get; } = messageType;

    /// <summary>A description for logs and errors, e.g. <c>OrderHandler (OrderPlaced)</c>.</summary>
    public abstract string Description { get; }
}

/// <summary>A delegate handler; <paramref name="createInvoker"/> runs once per HandlerActor (one handler instance each).</summary>
internal sealed class DelegateHandlerRegistration(
    Type messageType,
    string description,
    Func<Func<object, MessageContext, CancellationToken, Task>> createInvoker) : HandlerRegistration(messageType)
{
    public override string Description { get; } = description;

    public Func<object, MessageContext, CancellationToken, Task> CreateInvoker() => createInvoker();

    public static DelegateHandlerRegistration For<TMessage>(Func<TMessage, MessageContext, CancellationToken, Task> handler) =>
        new(typeof(TMessage), $"delegate ({typeof(TMessage).Name})", () => (m, c, t) => handler((TMessage)m, c, t));

    public static DelegateHandlerRegistration For<TMessage>(Func<IMessageHandler<TMessage>> factory, string handlerName) =>
        new(typeof(TMessage), $"{handlerName} ({typeof(TMessage).Name})", () =>
        {
            var instance = factory();
            return (m, c, t) => instance.HandleAsync((TMessage)m, c, t);
        });
}

/// <summary>An actor the user already runs (a router, a shard region proxy), shared by every HandlerActor of the consumer.</summary>
internal sealed class ActorRefHandlerRegistration(Type messageType, IActorRef handler) : HandlerRegistration(messageType)
{
    public IActorRef Handler { get; } = handler;

    public override string Description => $"actor {Handler.Path} ({MessageType.Name})";
}

/// <summary>A user actor, one per HandlerActor, receiving <see cref="MessageReceived"/>.</summary>
internal sealed class ActorHandlerRegistration(Type messageType, Props props) : HandlerRegistration(messageType)
{
    public Props Props { get; } = props;

    public override string Description => $"actor {Props.Type.Name} ({MessageType.Name})";
}
