using System.Globalization;
using ActorMq.DeadStore.Sql;
using Microsoft.Data.Sqlite;

namespace ActorMq.DeadStore.Sqlite;

/// <summary>
/// The embedded dead-letter store: one SQLite file (WAL mode), through Microsoft.Data.Sqlite and the
/// SQLite library it bundles (SQLitePCLRaw's <c>e_sqlite3</c>; no system <c>libsqlite3</c> needed).
/// Right for a single service instance; several instances use <c>ActorMq.DeadStore.PostgreSql</c>.
/// </summary>
/// <remarks>
/// SQLite calls block the calling thread (the returned tasks are already complete): call the store
/// from a dedicated thread — the DeadStoreActor runs on a dedicated-thread dispatcher — not from a
/// thread-pool thread that serves other work. Concurrent calls are safe: they are serialized on the
/// store's one connection, and other processes on the same file are held off by SQLite's locks
/// (write transactions are <c>BEGIN IMMEDIATE</c>; a busy file is waited for up to the busy timeout).
/// After a failure that may have broken the connection (I/O error, file replaced or read-only) the
/// next call opens it again.
/// </remarks>
public sealed class SqliteDeadLetterStore : IDeadLetterStore
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";
    private static readonly DeadLetterSql Sql = new(new SqlDialect(SqliteSchema.Table, SqliteSchema.MigrationsTable, SqliteSchema.MetaTable, "instr",
        GroupsIndexHint: " INDEXED BY ix_dead_letters_group"));

    private readonly SqliteStoreSettings _settings;
    private readonly TimeSpan _claimTimeout;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private StoreConnection? _connection;
    private string? _id;
    private bool _disposed;

    /// <summary>Creates the store on <see cref="DeadStoreSettings.Sqlite"/>; nothing is opened until the first call.</summary>
    /// <param name="settings">The dead-store settings.</param>
    /// <param name="timeProvider">The clock for claims and replay times; the system clock when <see langword="null"/>.</param>
    public SqliteDeadLetterStore(DeadStoreSettings settings, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(settings.Sqlite);
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.Sqlite.Path);
        _settings = settings.Sqlite;
        _claimTimeout = settings.ClaimTimeout;
        _time = timeProvider ?? TimeProvider.System;
        FilePath = System.IO.Path.GetFullPath(_settings.Path);
        Name = $"sqlite '{FilePath}'";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The full path of the database file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        Invoke("initialize", cancellationToken, connection =>
        {
            InTransaction(connection, () =>
            {
                connection.Execute($"CREATE TABLE IF NOT EXISTS {SqliteSchema.MigrationsTable} (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
                var applied = new HashSet<long>();
                using (var select = connection.Command($"SELECT version FROM {SqliteSchema.MigrationsTable}").ExecuteReader())
                {
                    while (select.Read()) applied.Add(select.GetInt64(0));
                }
                var known = SqliteSchema.Migrations[^1].Version;
                if (applied.Count > 0 && applied.Max() > known)
                    throw new DeadStoreException(Name, "initialize",
                        $"the schema is at version {applied.Max()}, newer than this ActorMq understands ({known}); upgrade ActorMq");
                foreach (var (version, description, sql) in SqliteSchema.Migrations)
                {
                    if (applied.Contains(version)) continue;
                    connection.Execute(sql);
                    Run(connection, new SqlCommandText(
                        $"INSERT INTO {SqliteSchema.MigrationsTable} (version, description, applied_at) VALUES (@p0, @p1, @p2)",
                        [new("@p0", (long)version), new("@p1", description), new("@p2", _time.GetUtcNow())]));
                }
                BackfillGroups(connection);
                return true;
            });
            return true;
        });

    /// <inheritdoc />
    public Task<string> GetIdAsync(CancellationToken cancellationToken = default) => Invoke("get id", cancellationToken, Id);

    /// <inheritdoc />
    public Task<long> AddAsync(DeadLetter letter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letter);
        return Invoke("add", cancellationToken, connection => InTransaction(connection, () => Add(connection, letter)));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<long>> AddBatchAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letters);
        foreach (var letter in letters) ArgumentNullException.ThrowIfNull(letter, nameof(letters));
        return Invoke<IReadOnlyList<long>>("add batch", cancellationToken, connection =>
            InTransaction(connection, () => letters.Select(letter => Add(connection, letter)).ToList()));
    }

    /// <summary>Inserts one row and, for a replayed copy's failure, marks the row it came from failed again (inside the caller's transaction).</summary>
    private long Add(StoreConnection connection, DeadLetter letter)
    {
        var replayedFrom = ReplayLineage.From(letter, Id(connection));
        var id = Scalar(connection, Sql.Insert(letter, replayedFrom));
        if (replayedFrom is { } from) Run(connection, Sql.MarkFailedAgain(from, id));
        return id;
    }

    /// <summary>The store's id, read once (it never changes).</summary>
    private string Id(StoreConnection connection) =>
        _id ??= connection.Command(Sql.StoreId()).ExecuteScalar() as string
            ?? throw new InvalidOperationException($"{SqliteSchema.MetaTable} holds no store_id: call InitializeAsync first");

    /// <inheritdoc />
    public Task<DeadLetterRecord?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        Invoke("get", cancellationToken, connection => Records(connection, Sql.Get(id)).SingleOrDefault());

    /// <inheritdoc />
    public Task<DeadLetterPage> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken = default)
    {
        var (page, total) = Sql.List(query);
        return Invoke("list", cancellationToken, connection =>
        {
            CatchUp(connection, query.Filter);
            return InTransaction(connection, () => new DeadLetterPage(Records(connection, page), Scalar(connection, total)), immediate: false);
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetterCount>> CountAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default)
    {
        var count = Sql.Count(filter, orderCollation: "");
        return Invoke<IReadOnlyList<DeadLetterCount>>("count", cancellationToken, connection =>
        {
            CatchUp(connection, filter);
            using var reader = connection.Command(count).ExecuteReader();
            var counts = new List<DeadLetterCount>();
            while (reader.Read()) counts.Add(new DeadLetterCount(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            return counts;
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetterGroup>> GroupsAsync(DeadLetterFilter filter, int limit = 1000, CancellationToken cancellationToken = default)
    {
        var groups = Sql.Groups(filter, limit);
        return Invoke<IReadOnlyList<DeadLetterGroup>>("groups", cancellationToken, connection =>
        {
            CatchUp(connection, filter);
            return Rows(connection, groups, DeadLetterRows.ReadGroup);
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetterRecord>> ClaimForReplayAsync(
        DeadLetterFilter filter, int limit, string claimant, CancellationToken cancellationToken = default)
    {
        var claim = Sql.Claim(filter, limit, claimant, _time.GetUtcNow(), _claimTimeout);
        return Invoke<IReadOnlyList<DeadLetterRecord>>("claim for replay", cancellationToken, connection =>
        {
            CatchUp(connection, filter);
            return InTransaction(connection, () => Records(connection, claim).OrderBy(r => r.Id).ToList());
        });
    }

    /// <inheritdoc />
    public Task<int> MarkReplayedAsync(IReadOnlyList<long> ids, string claimant, CancellationToken cancellationToken = default)
    {
        var mark = Sql.MarkReplayed(ids, claimant, _time.GetUtcNow());
        return Invoke("mark replayed", cancellationToken, connection => Changes(connection, mark));
    }

    /// <inheritdoc />
    public Task<int> ReleaseClaimAsync(IReadOnlyList<long> ids, string claimant, string? error = null, CancellationToken cancellationToken = default)
    {
        var release = Sql.ReleaseClaim(ids, claimant, error);
        return Invoke("release claim", cancellationToken, connection => Changes(connection, release));
    }

    /// <inheritdoc />
    public Task<int> MarkResolvedAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default)
    {
        var resolve = Sql.MarkResolved(ids, _time.GetUtcNow());
        return Invoke("mark resolved", cancellationToken, connection => Changes(connection, resolve));
    }

    /// <inheritdoc />
    public Task<int> DiscardAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default)
    {
        var discard = Sql.Discard(filter);
        return Invoke("discard", cancellationToken, connection =>
        {
            CatchUp(connection, filter);
            return Changes(connection, discard);
        });
    }

    /// <inheritdoc />
    public Task<int> PurgeAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default)
    {
        var purge = Sql.Purge(filter, _time.GetUtcNow(), _claimTimeout);
        return Invoke("purge", cancellationToken, connection =>
        {
            CatchUp(connection, filter);
            return Changes(connection, purge);
        });
    }

    /// <inheritdoc />
    public Task<int> IndexForSearchAsync(int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        return Invoke("index for search", cancellationToken, connection => InTransaction(connection, () => IndexWaiting(connection, maxRows, long.MaxValue)));
    }

    /// <summary>Closes the connection. Calls after this fail with <see cref="ObjectDisposedException"/>.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
            _connection?.Dispose();
            _connection = null;
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs <paramref name="work"/> on the open connection under the store's lock; SQLite failures become <see cref="DeadStoreException"/>.</summary>
    private Task<T> Invoke<T>(string operation, CancellationToken cancellationToken, Func<StoreConnection, T> work)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<T>(cancellationToken);
        try
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var connection = _connection ??= StoreConnection.Open(FilePath, _settings);
                try
                {
                    return Task.FromResult(work(connection));
                }
                catch (SqliteException e)
                {
                    if (IsConnectionBroken(e) || connection.InTransaction)
                    {
                        connection.Dispose();
                        _connection = null;
                    }
                    throw new DeadStoreException(Name, operation, SqliteErrors.Describe(e, FilePath, connection.LastCommandText), e);
                }
            }
        }
        catch (SqliteException e)
        {
            return Task.FromException<T>(new DeadStoreException(Name, operation, SqliteErrors.Describe(e, FilePath, "open"), e));
        }
        catch (FormatException e)
        {
            return Task.FromException<T>(new DeadStoreException(Name, operation, $"a stored row cannot be read: {e.Message}", e));
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }

    /// <summary>Failures after which the connection is not trusted again: the next call reopens the file.</summary>
    private static bool IsConnectionBroken(SqliteException e) =>
        e.SqliteErrorCode is 8 /* READONLY */ or 10 /* IOERR */ or 11 /* CORRUPT */ or 13 /* FULL */ or 14 /* CANTOPEN */ or 26 /* NOTADB */;

    private static T InTransaction<T>(StoreConnection connection, Func<T> work, bool immediate = true)
    {
        connection.Begin(immediate);
        try
        {
            var result = work();
            connection.Commit();
            return result;
        }
        catch
        {
            connection.RollBack();
            throw;
        }
    }

    /// <summary>Gives the rows written before schema version 2 their group key, in batches (inside the initialization's transaction).</summary>
    private static void BackfillGroups(StoreConnection connection)
    {
        while (true)
        {
            var ungrouped = new List<(long Id, string Key, string Pattern)>();
            using (var reader = connection.Command(Sql.Ungrouped(1000)).ExecuteReader())
            {
                while (reader.Read())
                {
                    var (key, pattern) = DeadLetterFingerprint.Of(reader.GetString(1), reader.GetString(2), reader.GetString(3),
                        reader.IsDBNull(4) ? null : reader.GetString(4));
                    ungrouped.Add((reader.GetInt64(0), key, pattern));
                }
            }
            if (ungrouped.Count == 0) return;
            foreach (var (id, key, pattern) in ungrouped) Run(connection, Sql.SetGroup(id, key, pattern));
        }
    }

    private const int CatchUpBatch = 5000;

    /// <summary>Before a statement with a search: indexes every row still waiting, in transactions of <see cref="CatchUpBatch"/> rows.</summary>
    private static void CatchUp(StoreConnection connection, DeadLetterFilter filter)
    {
        if (filter.Search is null) return;
        // Up to the rows there are now: rows another process writes meanwhile are the next search's.
        var upTo = Scalar(connection, Sql.MaxId());
        int indexed;
        do indexed = InTransaction(connection, () => IndexWaiting(connection, CatchUpBatch, upTo));
        while (indexed > 0);
    }

    /// <summary>
    /// Indexes the words of up to <paramref name="limit"/> rows after the indexed-through fact and up to id
    /// <paramref name="upTo"/>, oldest first (inside the caller's transaction).
    /// </summary>
    private static int IndexWaiting(StoreConnection connection, int limit, long upTo)
    {
        var through = connection.Command(Sql.Fact(DeadLetterSql.SearchIndexedFact)).ExecuteScalar() is string value
            ? long.Parse(value, CultureInfo.InvariantCulture)
            : 0;
        var rows = new List<(long Id, string Text)>();
        using (var reader = connection.Command(Sql.Unindexed(through, upTo, limit)).ExecuteReader())
        {
            while (reader.Read()) rows.Add((reader.GetInt64(0), DeadLetterSearch.IndexText(DeadLetterRows.ReadSearchable(new Row(reader)))));
        }
        if (rows.Count == 0) return 0;
        foreach (var (id, text) in rows) Run(connection, Sql.IndexSearch(id, text));
        Run(connection, Sql.SetFact(DeadLetterSql.SearchIndexedFact, rows[^1].Id.ToString(CultureInfo.InvariantCulture)));
        return rows.Count;
    }

    private static void Run(StoreConnection connection, SqlCommandText command) => connection.Command(command).ExecuteNonQuery();

    private static int Changes(StoreConnection connection, SqlCommandText command) => connection.Command(command).ExecuteNonQuery();

    private static long Scalar(StoreConnection connection, SqlCommandText command) =>
        connection.Command(command).ExecuteScalar() is long value
            ? value
            : throw new InvalidOperationException($"{SqliteErrors.Describe(command.Text)} returned no row");

    private static List<DeadLetterRecord> Records(StoreConnection connection, SqlCommandText command) => Rows(connection, command, DeadLetterRows.Read);

    private static List<T> Rows<T>(StoreConnection connection, SqlCommandText command, Func<IRowReader, T> read)
    {
        using var reader = connection.Command(command).ExecuteReader();
        var row = new Row(reader);
        var rows = new List<T>();
        while (reader.Read()) rows.Add(read(row));
        return rows;
    }

    internal static string FormatTimestamp(DateTimeOffset instant) =>
        DeadLetterSql.Truncate(instant).UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>The current row of a reader, read as <see cref="DeadLetterRows"/> expects.</summary>
    private sealed class Row(SqliteDataReader reader) : IRowReader
    {
        public bool IsNull(int ordinal) => reader.IsDBNull(ordinal);

        public long GetInt64(int ordinal) => reader.GetInt64(ordinal);

        public string GetString(int ordinal) => reader.GetString(ordinal);

        public byte[] GetBytes(int ordinal) => reader.IsDBNull(ordinal) ? [] : reader.GetFieldValue<byte[]>(ordinal);

        public DateTimeOffset GetTimestamp(int ordinal)
        {
            var text = reader.GetString(ordinal);
            return DateTimeOffset.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
                ? instant
                : throw new FormatException($"column {ordinal}: '{text}' is not a timestamp in the form {TimestampFormat}");
        }
    }
}
