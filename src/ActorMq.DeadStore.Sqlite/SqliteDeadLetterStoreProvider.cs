namespace ActorMq.DeadStore.Sqlite;

/// <summary>Registers the SQLite store under <c>actormq.dead-store.provider = sqlite</c> with a <see cref="DeadLetterStoreFactory"/>.</summary>
/// <param name="timeProvider">The clock the stores use; the system clock when <see langword="null"/>.</param>
public sealed class SqliteDeadLetterStoreProvider(TimeProvider? timeProvider = null) : IDeadLetterStoreProvider
{
    /// <inheritdoc />
    public string Name => DeadStoreSettings.SqliteProvider;

    /// <inheritdoc />
    public IDeadLetterStore Create(DeadStoreSettings settings) => new SqliteDeadLetterStore(settings, timeProvider);
}
