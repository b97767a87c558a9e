using System.Data.Common;
using ActorMq.DeadStore.Sql;
using Npgsql;

namespace ActorMq.DeadStore.PostgreSql;

/// <summary>
/// The dead-letter store for many service instances: one PostgreSQL table (in its own schema by
/// default) shared by all of them. Replay claims use <c>SELECT ... FOR UPDATE SKIP LOCKED</c>, so
/// instances and operators replaying at once never claim the same row and never wait on each other.
/// </summary>
/// <remarks>
/// Fully asynchronous (Npgsql); safe to call concurrently, each call takes a pooled connection.
/// When the server goes away the pool is cleared, so calls fail fast with a
/// <see cref="DeadStoreException"/> until it is back, then work again without a restart.
/// </remarks>
public sealed class PostgreSqlDeadLetterStore : IDeadLetterStore
{
    private const string LockClause = " FOR UPDATE SKIP LOCKED";
    private const string OrderCollation = " COLLATE \"C\"";

    private readonly NpgsqlDataSource _dataSource;
    private readonly DeadLetterSql _sql;
    private readonly string _schema;
    private readonly TimeSpan _claimTimeout;
    private readonly TimeProvider? _clock;
    private string? _id;

    /// <summary>Creates the store on <see cref="DeadStoreSettings.PostgreSql"/>; no connection is opened until the first call.</summary>
    /// <param name="settings">The dead-store settings.</param>
    /// <param name="timeProvider">
    /// The clock for claims and replay times; when <see langword="null"/> (the default) the server's clock (<c>now()</c>), so
    /// that instances whose clocks drift agree on when a claim is stale.
    /// </param>
    /// <exception cref="ConfigurationException">The connection string cannot be parsed.</exception>
    public PostgreSqlDeadLetterStore(DeadStoreSettings settings, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(settings.PostgreSql);
        NpgsqlConnectionStringBuilder connection;
        try
        {
            connection = new NpgsqlConnectionStringBuilder(settings.PostgreSql.ConnectionString)
            {
                CommandTimeout = (int)Math.Ceiling(settings.PostgreSql.CommandTimeout.TotalSeconds),
            };
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException(ConnectionStringPath, $"{ConnectionStringPath}: not an Npgsql connection string: {e.Message}", e);
        }
        // The same few statements run over and over (a batch repeats one INSERT): let Npgsql prepare
        // them on the server unless the connection string says otherwise.
        if (connection.MaxAutoPrepare == 0) connection.MaxAutoPrepare = 32;
        if (string.IsNullOrWhiteSpace(connection.Host))
            throw new ConfigurationException(ConnectionStringPath, $"{ConnectionStringPath}: the connection string names no Host");

        _schema = settings.PostgreSql.Schema;
        _claimTimeout = settings.ClaimTimeout;
        _clock = timeProvider;
        var prefix = _schema.Length == 0 ? "" : Quote(_schema) + ".";
        _sql = new DeadLetterSql(new SqlDialect(prefix + PostgreSqlSchema.Table, prefix + PostgreSqlSchema.MigrationsTable, prefix + PostgreSqlSchema.MetaTable, "strpos", "::json", LockClause,
            IdsFromJson: "SELECT value::bigint FROM json_array_elements_text({0}::json)", OrderCollation: OrderCollation, ServerNow: "now()",
            SearchIndex: SearchIndex.TsVectorColumn));
        _dataSource = NpgsqlDataSource.Create(connection);
        Name = $"postgresql '{connection.Username}@{connection.Host}:{connection.Port}/{connection.Database}'"
            + (_schema.Length == 0 ? "" : $" schema '{_schema}'");
    }

    private const string ConnectionStringPath = "actormq.dead-store.postgresql.connection-string";

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync("initialize", async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, cancellationToken, "SELECT pg_advisory_xact_lock(hashtext(@p0))", ("@p0", $"actormq.dead-store:{_schema}")).ConfigureAwait(false);
            if (_schema.Length > 0)
                await ExecuteAsync(connection, cancellationToken, $"CREATE SCHEMA IF NOT EXISTS {Quote(_schema)}").ConfigureAwait(false);
            var migrations = _sql.Dialect.MigrationsTable;
            await ExecuteAsync(connection, cancellationToken, $"CREATE TABLE IF NOT EXISTS {migrations} (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL)").ConfigureAwait(false);

            var applied = new HashSet<int>();
            await using (var select = new NpgsqlCommand($"SELECT version FROM {migrations}", connection))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) applied.Add(reader.GetInt32(0));
            }
            var all = PostgreSqlSchema.Migrations(_sql.Dialect.Table, _sql.Dialect.MetaTable);
            if (applied.Count > 0 && applied.Max() > all[^1].Version)
                throw new DeadStoreException(Name, "initialize",
                    $"the schema is at version {applied.Max()}, newer than this ActorMq understands ({all[^1].Version}); upgrade ActorMq");
            foreach (var (version, description, sql) in all)
            {
                if (applied.Contains(version)) continue;
                await ExecuteAsync(connection, cancellationToken, sql).ConfigureAwait(false);
                await ExecuteAsync(connection, cancellationToken, $"INSERT INTO {migrations} (version, description, applied_at) VALUES (@p0, @p1, @p2)",
                    ("@p0", version), ("@p1", description), ("@p2", _clock?.GetUtcNow() ?? DateTimeOffset.UtcNow)).ConfigureAwait(false);
            }
            await BackfillGroupsAsync(connection, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<string> GetIdAsync(CancellationToken cancellationToken = default) =>
        _id is { } id ? Task.FromResult(id) : InvokeAsync("get id", connection => IdAsync(connection, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public async Task<long> AddAsync(DeadLetter letter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letter);
        return (await AddAllAsync("add", [letter], cancellationToken).ConfigureAwait(false))[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<long>> AddBatchAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letters);
        foreach (var letter in letters) ArgumentNullException.ThrowIfNull(letter, nameof(letters));
        return letters.Count == 0 ? Task.FromResult<IReadOnlyList<long>>([]) : AddAllAsync("add batch", letters, cancellationToken);
    }

    private Task<IReadOnlyList<long>> AddAllAsync(string operation, IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken) =>
        InvokeAsync<IReadOnlyList<long>>(operation, async connection =>
        {
            var storeId = await IdAsync(connection, cancellationToken).ConfigureAwait(false);
            var replayedFrom = letters.Select(letter => ReplayLineage.From(letter, storeId)).ToList();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var ids = new List<long>(letters.Count);
            await using (var batch = new NpgsqlBatch(connection, transaction))
            {
                for (var i = 0; i < letters.Count; i++) batch.BatchCommands.Add(ToBatchCommand(_sql.Insert(letters[i], replayedFrom[i])));
                await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                do
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) ids.Add(reader.GetInt64(0));
                }
                while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
            }
            // Replayed copies that failed again: their rows learn the new row's id in the same transaction.
            var failedAgain = replayedFrom.Select((from, i) => (From: from, New: ids[i])).Where(l => l.From is not null).ToList();
            if (failedAgain.Count > 0)
            {
                await using var links = new NpgsqlBatch(connection, transaction);
                foreach (var (from, newId) in failedAgain) links.BatchCommands.Add(ToBatchCommand(_sql.MarkFailedAgain(from!.Value, newId)));
                await links.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return ids;
        }, cancellationToken);

    /// <summary>The store's id, read once (it never changes).</summary>
    private async Task<string> IdAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_id is { } known) return known;
        await using var command = ToCommand(connection, _sql.StoreId());
        return _id = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string
            ?? throw new InvalidOperationException($"{_sql.Dialect.MetaTable} holds no store_id: call InitializeAsync first");
    }

    /// <inheritdoc />
    public Task<DeadLetterRecord?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        var get = _sql.Get(id);
        return InvokeAsync("get", async connection =>
            (await RecordsAsync(connection, get, cancellationToken).ConfigureAwait(false)).SingleOrDefault(), cancellationToken);
    }

    /// <inheritdoc />
    public Task<DeadLetterPage> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken = default)
    {
        var (page, total) = _sql.List(query);
        return InvokeAsync("list", async connection =>
        {
            await CatchUpAsync(connection, query.Filter, cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            var items = await RecordsAsync(connection, page, cancellationToken).ConfigureAwait(false);
            var count = await ScalarAsync(connection, total, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new DeadLetterPage(items, count);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetterCount>> CountAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default)
    {
        var count = _sql.Count(filter, OrderCollation);
        return InvokeAsync<IReadOnlyList<DeadLetterCount>>("count", async connection =>
        {
            await CatchUpAsync(connection, filter, cancellationToken).ConfigureAwait(false);
            await using var command = ToCommand(connection, count);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var counts = new List<DeadLetterCount>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                counts.Add(new DeadLetterCount(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            return counts;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetterGroup>> GroupsAsync(DeadLetterFilter filter, int limit = 1000, CancellationToken cancellationToken = default)
    {
        var groups = _sql.Groups(filter, limit);
        return InvokeAsync<IReadOnlyList<DeadLetterGroup>>("groups", async connection =>
        {
            await CatchUpAsync(connection, filter, cancellationToken).ConfigureAwait(false);
            return await RowsAsync(connection, groups, DeadLetterRows.ReadGroup, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetterRecord>> ClaimForReplayAsync(
        DeadLetterFilter filter, int limit, string claimant, CancellationToken cancellationToken = default)
    {
        var claim = _sql.Claim(filter, limit, claimant, _clock?.GetUtcNow(), _claimTimeout);
        return InvokeAsync<IReadOnlyList<DeadLetterRecord>>("claim for replay", async connection =>
        {
            await CatchUpAsync(connection, filter, cancellationToken).ConfigureAwait(false);
            return (await RecordsAsync(connection, claim, cancellationToken).ConfigureAwait(false)).OrderBy(r => r.Id).ToList();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> MarkReplayedAsync(IReadOnlyList<long> ids, string claimant, CancellationToken cancellationToken = default) =>
        ChangeAsync("mark replayed", _sql.MarkReplayed(ids, claimant, _clock?.GetUtcNow()), cancellationToken);

    /// <inheritdoc />
    public Task<int> ReleaseClaimAsync(IReadOnlyList<long> ids, string claimant, string? error = null, CancellationToken cancellationToken = default) =>
        ChangeAsync("release claim", _sql.ReleaseClaim(ids, claimant, error), cancellationToken);

    /// <inheritdoc />
    public Task<int> MarkResolvedAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default) =>
        ChangeAsync("mark resolved", _sql.MarkResolved(ids, _clock?.GetUtcNow()), cancellationToken);

    /// <inheritdoc />
    public Task<int> DiscardAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default) =>
        ChangeAsync("discard", _sql.Discard(filter), cancellationToken, filter);

    /// <inheritdoc />
    public Task<int> PurgeAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default) =>
        ChangeAsync("purge", _sql.Purge(filter, _clock?.GetUtcNow(), _claimTimeout), cancellationToken, filter);

    /// <inheritdoc />
    public Task<int> IndexForSearchAsync(int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        return InvokeAsync("index for search", connection => IndexWaitingAsync(connection, maxRows, long.MaxValue, cancellationToken), cancellationToken);
    }

    /// <summary>Closes the pool's connections.</summary>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private Task<int> ChangeAsync(string operation, SqlCommandText change, CancellationToken cancellationToken, DeadLetterFilter? filter = null) =>
        InvokeAsync(operation, async connection =>
        {
            if (filter is not null) await CatchUpAsync(connection, filter, cancellationToken).ConfigureAwait(false);
            await using var command = ToCommand(connection, change);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Runs <paramref name="work"/> on a pooled connection; driver failures become <see cref="DeadStoreException"/>.</summary>
    private async Task<T> InvokeAsync<T>(string operation, Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException { InnerException: NpgsqlException })
        {
            // A dead server leaves broken connections in the pool; drop them so the next call dials afresh.
            if (e is not PostgresException || (e is NpgsqlException { IsTransient: true })) _dataSource.Clear();
            throw new DeadStoreException(Name, operation, e.Message, e);
        }
        catch (FormatException e)
        {
            throw new DeadStoreException(Name, operation, $"a stored row cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Gives the rows written before schema version 2 their group key, in batches (inside the initialization's transaction).</summary>
    private async Task BackfillGroupsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        while (true)
        {
            var ungrouped = new List<(long Id, string Key, string Pattern)>();
            await using (var select = ToCommand(connection, _sql.Ungrouped(1000)))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var (key, pattern) = DeadLetterFingerprint.Of(reader.GetString(1), reader.GetString(2), reader.GetString(3),
                        reader.IsDBNull(4) ? null : reader.GetString(4));
                    ungrouped.Add((reader.GetInt64(0), key, pattern));
                }
            }
            if (ungrouped.Count == 0) return;
            await using var batch = new NpgsqlBatch(connection);
            foreach (var (id, key, pattern) in ungrouped) batch.BatchCommands.Add(ToBatchCommand(_sql.SetGroup(id, key, pattern)));
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private const int CatchUpBatch = 5000;

    /// <summary>Before a statement with a search: indexes every row still waiting, in transactions of <see cref="CatchUpBatch"/> rows.</summary>
    private async Task CatchUpAsync(NpgsqlConnection connection, DeadLetterFilter filter, CancellationToken cancellationToken)
    {
        if (filter.Search is null) return;
        // Up to the rows there are now: rows written meanwhile are the next search's. A pass that waited for rows another
        // instance was indexing finds fewer than it asked for, so only an empty pass ends it.
        var upTo = await ScalarAsync(connection, _sql.MaxId(), cancellationToken).ConfigureAwait(false);
        while (await IndexWaitingAsync(connection, CatchUpBatch, upTo, cancellationToken).ConfigureAwait(false) > 0)
            cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Indexes the words of up to <paramref name="limit"/> rows whose <c>search</c> is NULL, oldest first, in one transaction.
    /// The rows are locked while indexed: another instance indexing at once waits, then finds them done.
    /// </summary>
    private async Task<int> IndexWaitingAsync(NpgsqlConnection connection, int limit, long upTo, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<(long Id, string Text)>();
        await using (var select = ToCommand(connection, _sql.Unindexed(0, upTo, limit)))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new Row(reader);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                rows.Add((reader.GetInt64(0), DeadLetterSearch.IndexText(DeadLetterRows.ReadSearchable(row))));
        }
        if (rows.Count > 0)
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var (id, text) in rows) batch.BatchCommands.Add(ToBatchCommand(_sql.IndexSearch(id, text)));
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows.Count;
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, SqlCommandText text, CancellationToken cancellationToken)
    {
        await using var command = ToCommand(connection, text);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<List<DeadLetterRecord>> RecordsAsync(NpgsqlConnection connection, SqlCommandText text, CancellationToken cancellationToken) =>
        RowsAsync(connection, text, DeadLetterRows.Read, cancellationToken);

    private static async Task<List<T>> RowsAsync<T>(NpgsqlConnection connection, SqlCommandText text, Func<IRowReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = ToCommand(connection, text);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var row = new Row(reader);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(read(row));
        return rows;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, CancellationToken cancellationToken, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = ToCommand(connection, new SqlCommandText(sql, parameters.Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)).ToList()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlCommand ToCommand(NpgsqlConnection connection, SqlCommandText text)
    {
        var command = new NpgsqlCommand(text.Text, connection);
        foreach (var (name, value) in text.Parameters) command.Parameters.Add(Parameter(name, value));
        return command;
    }

    private static NpgsqlBatchCommand ToBatchCommand(SqlCommandText text)
    {
        var command = new NpgsqlBatchCommand(text.Text);
        foreach (var (name, value) in text.Parameters) command.Parameters.Add(Parameter(name, value));
        return command;
    }

    /// <summary>
    /// A parameter. PostgreSQL text cannot hold NUL characters, nor UTF-16 surrogates without their pair (Npgsql's strict
    /// UTF-8 refuses them), so in strings these become U+FFFD: refusing the row would leave a dead letter nowhere to go,
    /// and fail the rest of its batch with it. (JSON escapes NULs, so headers keep theirs; SQLite stores a NUL as it is
    /// and replaces lone surrogates the same way.)
    /// </summary>
    private static NpgsqlParameter Parameter(string name, object? value) => new(name, value switch
    {
        null => DBNull.Value,
        string text => Storable(text),
        _ => value,
    });

    private static string Storable(string text)
    {
        var clean = text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', '\uFFFD') : text;
        if (!clean.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF')) return clean;
        var chars = clean.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) i++; // a whole pair
            else if (char.IsSurrogate(chars[i])) chars[i] = '\uFFFD';
        }
        return new string(chars);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The current row of a reader, read as <see cref="DeadLetterRows"/> expects.</summary>
    private sealed class Row(DbDataReader reader) : IRowReader
    {
        public bool IsNull(int ordinal) => reader.IsDBNull(ordinal);

        public long GetInt64(int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

        public string GetString(int ordinal) => reader.GetString(ordinal);

        public byte[] GetBytes(int ordinal) => reader.GetFieldValue<byte[]>(ordinal);

        public DateTimeOffset GetTimestamp(int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);
    }
}
