using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Akka.Actor;

namespace ActorMq.Hosting;

/// <summary>The <see cref="IActorRegistry"/> of a host: keys are types or names, each registered once.</summary>
public sealed class ActorRegistry : IActorRegistry
{
    private readonly ConcurrentDictionary<RegistryKey, Entry> _entries = new();

    /// <inheritdoc />
    public void Register<TKey>(IActorRef actor) => Register(RegistryKey.Of(typeof(TKey)), actor);

    /// <inheritdoc />
    public void Register(string name, IActorRef actor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Register(RegistryKey.Of(name), actor);
    }

    /// <inheritdoc />
    public IActorRef Get<TKey>() => Get(RegistryKey.Of(typeof(TKey)));

    /// <inheritdoc />
    public IActorRef Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Get(RegistryKey.Of(name));
    }

    /// <inheritdoc />
    public bool TryGet<TKey>([NotNullWhen(true)] out IActorRef actor) => TryGet(RegistryKey.Of(typeof(TKey)), out actor);

    /// <inheritdoc />
    public bool TryGet(string name, [NotNullWhen(true)] out IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryGet(RegistryKey.Of(name), out actor);
    }

    /// <inheritdoc />
    public Task<IActorRef> GetAsync<TKey>(CancellationToken cancellationToken = default) => EntryOf(RegistryKey.Of(typeof(TKey))).Registered.Task.WaitAsync(cancellationToken);

    /// <inheritdoc />
    public Task<IActorRef> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return EntryOf(RegistryKey.Of(name)).Registered.Task.WaitAsync(cancellationToken);
    }

    private void Register(RegistryKey key, IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var entry = EntryOf(key);
        lock (entry)
        {
            if (entry.Actor is { } registered)
                throw new InvalidOperationException($"{key} is already registered in the actor registry ({registered.Path}); cannot register {actor.Path}");
            entry.Actor = actor;
        }
        entry.Registered.TrySetResult(actor);
    }

    private IActorRef Get(RegistryKey key) =>
        TryGet(key, out var actor) ? actor : throw new KeyNotFoundException($"no actor is registered in the actor registry under {key}" +
            " (register it in AddActorMq(b => b.WithActors((system, registry) => ...)); from code that runs before ActorMq has started use GetAsync)");

    private bool TryGet(RegistryKey key, out IActorRef actor)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Actor is { } registered)
        {
            actor = registered;
            return true;
        }
        actor = ActorRefs.Nobody;
        return false;
    }

    private Entry EntryOf(RegistryKey key) => _entries.GetOrAdd(key, _ => new Entry());

    private sealed class Entry
    {
        private volatile IActorRef? _actor;

        public IActorRef? Actor
        {
            get => _actor;
            set => _actor = value;
        }

        public TaskCompletionSource<IActorRef> Registered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly record struct RegistryKey(Type? Type, string? Name)
    {
        public static RegistryKey Of(Type type) => new(type, null);

        public static RegistryKey Of(string name) => new(null, name);

        public override string ToString() => Type is not null ? $"key type {Type.FullName}" : $"name '{Name}'";
    }
}
