using Akka.Actor;

namespace ActorMq.Hosting;

/// <summary>
/// Actors reachable from outside the actor system (controllers, hosted services), by a key type or a name: ActorMq's own
/// (<see cref="ActorMqPublisher"/>) and the ones registered in <see cref="ActorMqHostingBuilder.WithActors(Action{ActorSystem, IActorRegistry})"/>.
/// A singleton of the host; thread-safe.
/// </summary>
public interface IActorRegistry
{
    /// <summary>Registers <paramref name="actor"/> under the key type <typeparamref name="TKey"/>.</summary>
    /// <exception cref="InvalidOperationException">Another actor is registered under that key.</exception>
    void Register<TKey>(IActorRef actor);

    /// <summary>Registers <paramref name="actor"/> under <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">Another actor is registered under that name.</exception>
    void Register(string name, IActorRef actor);

    /// <summary>The actor registered under <typeparamref name="TKey"/>.</summary>
    /// <exception cref="KeyNotFoundException">None is registered (yet); the message names the key.</exception>
    IActorRef Get<TKey>();

    /// <summary>The actor registered under <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">None is registered (yet); the message names the key.</exception>
    IActorRef Get(string name);

    /// <summary>The actor registered under <typeparamref name="TKey"/>, or false.</summary>
    bool TryGet<TKey>(out IActorRef actor);

    /// <summary>The actor registered under <paramref name="name"/>, or false.</summary>
    bool TryGet(string name, out IActorRef actor);

    /// <summary>The actor registered under <typeparamref name="TKey"/>, once it is (e.g. from a hosted service that starts before the actors).</summary>
    Task<IActorRef> GetAsync<TKey>(CancellationToken cancellationToken = default);

    /// <summary>The actor registered under <paramref name="name"/>, once it is.</summary>
    Task<IActorRef> GetAsync(string name, CancellationToken cancellationToken = default);
}
