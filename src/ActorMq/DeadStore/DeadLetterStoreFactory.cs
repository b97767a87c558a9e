namespace ActorMq.DeadStore;

/// <summary>
/// Makes one kind of <see cref="IDeadLetterStore"/>. Each store assembly ships one
/// (<c>SqliteDeadLetterStoreProvider</c>, <c>PostgreSqlDeadLetterStoreProvider</c>), so ActorMq
/// itself depends on neither SQLite nor Npgsql.
/// </summary>
public interface IDeadLetterStoreProvider
{
    /// <summary>The value of <c>actormq.dead-store.provider</c> that selects this store, e.g. <c>sqlite</c>.</summary>
    string Name { get; }

    /// <summary>A new, not yet initialized store (call <see cref="IDeadLetterStore.InitializeAsync"/>).</summary>
    IDeadLetterStore Create(DeadStoreSettings settings);
}

/// <summary>Creates the store <see cref="DeadStoreSettings.Provider"/> names, from the providers it was given.</summary>
/// <example>
/// <code>
/// var factory = new DeadLetterStoreFactory([new SqliteDeadLetterStoreProvider(), new PostgreSqlDeadLetterStoreProvider()]);
/// await using var store = factory.Create(DeadStoreSettings.Create(config));
/// await store.InitializeAsync();
/// </code>
/// </example>
public sealed class DeadLetterStoreFactory
{
    private readonly Dictionary<string, IDeadLetterStoreProvider> _providers;

    /// <summary>Creates a factory over these providers.</summary>
    /// <exception cref="ArgumentException">Two providers have the same name.</exception>
    public DeadLetterStoreFactory(IEnumerable<IDeadLetterStoreProvider> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        _providers = new Dictionary<string, IDeadLetterStoreProvider>(StringComparer.Ordinal);
        foreach (var provider in providers)
        {
            if (!_providers.TryAdd(provider.Name, provider))
                throw new ArgumentException($"two dead-letter store providers are named '{provider.Name}'", nameof(providers));
        }
    }

    /// <summary>The names of the registered providers.</summary>
    public IReadOnlyCollection<string> Providers => _providers.Keys;

    /// <summary>A new, not yet initialized store of the configured provider.</summary>
    /// <exception cref="ConfigurationException">No provider of that name was registered.</exception>
    public IDeadLetterStore Create(DeadStoreSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        const string path = DeadStoreSettings.Section + ".provider";
        return _providers.TryGetValue(settings.Provider, out var provider)
            ? provider.Create(settings)
            : throw new ConfigurationException(path,
                $"{path} = {settings.Provider}, but no such dead-letter store provider is registered " +
                $"(registered: {(_providers.Count == 0 ? "none" : string.Join(", ", _providers.Keys))}); " +
                $"reference ActorMq.DeadStore.{(settings.Provider == DeadStoreSettings.PostgreSqlProvider ? "PostgreSql" : "Sqlite")} and register its provider");
    }
}
