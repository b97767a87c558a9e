namespace ActorMq.DeadStore;

/// <summary>
/// The settings of the dead-letter store, from <c>actormq.dead-store</c> (see <c>hocon/reference.conf</c>
/// for every key, its default and its meaning).
/// </summary>
/// <param name="Provider">Which store: <c>sqlite</c> or <c>postgresql</c> (<c>actormq.dead-store.provider</c>).</param>
/// <param name="ClaimTimeout">
/// How long a replay claim holds; a row claimed longer ago counts as abandoned (its claimant died
/// mid-replay) and can be claimed again (<c>actormq.dead-store.claim-timeout</c>).
/// </param>
/// <param name="Sqlite">The embedded store's settings (<c>actormq.dead-store.sqlite</c>).</param>
/// <param name="PostgreSql">The shared store's settings (<c>actormq.dead-store.postgresql</c>).</param>
public sealed partial record DeadStoreSettings(
    string Provider,
    TimeSpan ClaimTimeout,
    SqliteStoreSettings Sqlite,
    PostgreSqlStoreSettings PostgreSql);

/// <summary>Settings of the embedded SQLite store (<c>actormq.dead-store.sqlite</c>).</summary>
/// <param name="Path">The database file; a relative path is relative to the working directory.</param>
/// <param name="BusyTimeout">How long a statement waits for another connection's lock before it fails.</param>
/// <param name="Synchronous">How hard SQLite syncs to disk on commit.</param>
public sealed record SqliteStoreSettings(string Path, TimeSpan BusyTimeout, SqliteSynchronous Synchronous);

/// <summary>SQLite's <c>PRAGMA synchronous</c> in WAL mode.</summary>
public enum SqliteSynchronous
{
    /// <summary>Sync the WAL on every commit: a committed row survives a power loss.</summary>
    Full,

    /// <summary>Sync at checkpoints only: a committed row survives a process crash, the last commits may be lost on power loss.</summary>
    Normal,
}

/// <summary>Settings of the PostgreSQL store (<c>actormq.dead-store.postgresql</c>).</summary>
/// <param name="ConnectionString">An Npgsql connection string.</param>
/// <param name="Schema">The schema holding the tables, created if missing; empty uses the connection's search path.</param>
/// <param name="CommandTimeout">How long one statement may run before it fails.</param>
public sealed record PostgreSqlStoreSettings(string ConnectionString, string Schema, TimeSpan CommandTimeout);
