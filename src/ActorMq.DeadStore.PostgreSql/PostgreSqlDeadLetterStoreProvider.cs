namespace ActorMq.DeadStore.PostgreSql;

/// <summary>Registers the PostgreSQL store under <c>actormq.dead-store.provider = postgresql</c> with a <see cref="DeadLetterStoreFactory"/>.</summary>
/// <param name="timeProvider">The clock the stores use; the system clock when <see langword="null"/>.</param>
public sealed class PostgreSqlDeadLetterStoreProvider(TimeProvider? timeProvider = null) : IDeadLetterStoreProvider
{
    /// <inheritdoc />
    public string Name => DeadStoreSettings.PostgreSqlProvider;

    /// <inheritdoc />
    public IDeadLetterStore Create(DeadStoreSettings settings) => new PostgreSqlDeadLetterStore(settings, timeProvider);
}
