using System.Text;

namespace ActorMq.DeadStore.Sql;

/// <summary>
/// The statements of the dead store, written once for both providers. Parameters are named
/// <c>@p0</c>, <c>@p1</c>, ...; timestamps are bound as <see cref="DateTimeOffset"/> truncated to
/// microseconds (the precision both databases keep), so what is read back equals what was written.
/// </summary>
internal sealed class DeadLetterSql(SqlDialect dialect)
{
    /// <summary>The columns of a full row, in the order <see cref="DeadLetterRows.Read"/> expects.</summary>
    public const string Columns =
        "id, message_id, queue, exchange, routing_key, properties, headers, body, error_type, error_message, " +
        "error_detail, attempts, first_failed_at, dead_at, state, replayed_at, replay_count, claimed_at, claimed_by, replay_error, group_key, " +
        "replayed_from, failed_again_id, resolved_at";

    /// <summary><see cref="Columns"/> with no body (an SQL NULL in its place): for listings that show none.</summary>
    public const string ColumnsWithoutBody =
        "id, message_id, queue, exchange, routing_key, properties, headers, NULL AS body, error_type, error_message, " +
        "error_detail, attempts, first_failed_at, dead_at, state, replayed_at, replay_count, claimed_at, claimed_by, replay_error, group_key, " +
        "replayed_from, failed_again_id, resolved_at";

    private const string InsertColumns =
        "message_id, queue, exchange, routing_key, properties, headers, body, error_type, error_message, " +
        "error_detail, attempts, first_failed_at, dead_at, group_key, error_pattern, replayed_from, state, replay_count";

    private static readonly string[] InsertParameterNames = Enumerable.Range(0, 32).Select(i => $"@p{i}").ToArray();

    private string? _insertText;

    public SqlDialect Dialect => dialect;

    /// <summary>
    /// <c>INSERT ... RETURNING id</c> for one new row; <paramref name="replayedFrom"/> is the row its replayed copy came from.
    /// The words the row is searched by are indexed later (<see cref="Unindexed"/>, <see cref="IndexSearch"/>): off the
    /// write path, which a failure storm keeps busy.
    /// </summary>
    public SqlCommandText Insert(DeadLetter letter, long? replayedFrom)
    {
        var values = DeadLetterRows.InsertValues(letter, replayedFrom);
        var parameters = new KeyValuePair<string, object?>[values.Length];
        for (var i = 0; i < values.Length; i++) parameters[i] = new(InsertParameterNames[i], values[i]);
        return new SqlCommandText(_insertText ??= InsertText(values.Length), parameters);
    }

    /// <summary>Writes the words row <paramref name="id"/> is searched by (see <see cref="DeadLetterSearch.IndexText"/>).</summary>
    public SqlCommandText IndexSearch(long id, string searchText)
    {
        var p = new SqlParameters();
        return dialect.SearchIndex == SearchIndex.TsVectorColumn
            ? p.Command($"UPDATE {dialect.Table} SET search = to_tsvector('simple', {p.Add(searchText)}) WHERE id = {p.Add(id)}")
            : p.Command($"INSERT INTO {SearchTable} (rowid, text) VALUES ({p.Add(id)}, {p.Add(searchText)})");
    }

    /// <summary>
    /// The columns <see cref="DeadLetterSearch.IndexText"/> needs, of up to <paramref name="limit"/> rows up to id
    /// <paramref name="upTo"/> whose words are not indexed yet, oldest first: in SQLite the rows after id
    /// <paramref name="indexedThrough"/> (the fact <see cref="SearchIndexedFact"/>); in PostgreSQL the rows whose
    /// <c>search</c> is NULL, locked (another instance indexing at once waits for them, then finds them indexed).
    /// </summary>
    public SqlCommandText Unindexed(long indexedThrough, long upTo, int limit)
    {
        var p = new SqlParameters();
        const string columns = "id, message_id, properties, headers, body, error_type, error_message";
        return dialect.SearchIndex == SearchIndex.TsVectorColumn
            ? p.Command($"SELECT {columns} FROM {dialect.Table} WHERE search IS NULL AND id <= {p.Add(upTo)} ORDER BY id LIMIT {p.Add((long)limit)} FOR UPDATE")
            : p.Command($"SELECT {columns} FROM {dialect.Table} WHERE id > {p.Add(indexedThrough)} AND id <= {p.Add(upTo)} ORDER BY id LIMIT {p.Add((long)limit)}");
    }

    /// <summary>The highest id (one row, one column; 0 for an empty table).</summary>
    public SqlCommandText MaxId() => new($"SELECT coalesce(max(id), 0) FROM {dialect.Table}", []);

    /// <summary>The value of one of the store's facts (one row, one column; no row when it is not set).</summary>
    public SqlCommandText Fact(string key)
    {
        var p = new SqlParameters();
        return p.Command($"SELECT value FROM {dialect.MetaTable} WHERE key = {p.Add(key)}");
    }

    /// <summary>Sets one of the store's facts.</summary>
    public SqlCommandText SetFact(string key, string value)
    {
        var p = new SqlParameters();
        return p.Command($"INSERT INTO {dialect.MetaTable} (key, value) VALUES ({p.Add(key)}, {p.Add(value)}) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    }

    /// <summary>SQLite: the fact naming the highest id up to which every row's words are indexed.</summary>
    public const string SearchIndexedFact = "search_indexed_through";

    private string SearchTable => dialect.Table + "_search";

    public SqlCommandText Get(long id)
    {
        var p = new SqlParameters();
        return p.Command($"SELECT {Columns} FROM {dialect.Table} WHERE id = {p.Add(id)}");
    }

    /// <summary>The page's rows (first) and the total (second), two statements.</summary>
    public (SqlCommandText Page, SqlCommandText Total) List(DeadLetterQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset, nameof(query.Offset));
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query.Limit));
        var newestFirst = query.Order == DeadLetterOrder.NewestFirst;
        if (query.AfterId is not null && query.SortBy != DeadLetterSort.Id)
            throw new ArgumentException($"keyset paging (AfterId) needs SortBy = Id, got {query.SortBy}; page with Offset instead", nameof(query));
        var direction = newestFirst ? "DESC" : "ASC";
        var sortColumn = query.SortBy switch
        {
            DeadLetterSort.Id => null,
            DeadLetterSort.DeadAt => "dead_at",
            DeadLetterSort.Queue => "queue" + dialect.OrderCollation,
            DeadLetterSort.ErrorType => "error_type" + dialect.OrderCollation,
            DeadLetterSort.Attempts => "attempts",
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.SortBy, "not a dead-letter sort column"),
        };
        var orderBy = sortColumn is null ? $"id {direction}" : $"{sortColumn} {direction}, id {direction}";

        var p = new SqlParameters();
        var where = new StringBuilder(Where(query.Filter, p));
        if (query.AfterId is { } afterId)
            where.Append(newestFirst ? " AND id < " : " AND id > ").Append(p.Add(afterId));
        var page = p.Command(
            $"SELECT {(query.IncludeBodies ? Columns : ColumnsWithoutBody)} FROM {dialect.Table} WHERE {where} ORDER BY {orderBy} " +
            $"LIMIT {p.Add((long)query.Limit)} OFFSET {p.Add((long)query.Offset)}");

        var t = new SqlParameters();
        var total = t.Command($"SELECT count(*) FROM {dialect.Table} WHERE {Where(query.Filter, t)}");
        return (page, total);
    }

    /// <summary>Rows of (queue, error_type, count).</summary>
    public SqlCommandText Count(DeadLetterFilter filter, string orderCollation)
    {
        var p = new SqlParameters();
        return p.Command(
            $"SELECT queue, error_type, count(*) FROM {dialect.Table} WHERE {Where(filter, p)} " +
            $"GROUP BY queue, error_type ORDER BY queue{orderCollation}, error_type{orderCollation}");
    }

    /// <summary>
    /// Rows of (group_key, count, oldest id, newest id, oldest dead_at, newest dead_at, queue, error_type, error_pattern,
    /// error_detail) per failure group among the rows matching the filter, largest group first; the sample is the group's
    /// oldest row. The aggregate reads only the <c>(group_key, state)</c> index (a filter on other columns reads the rows);
    /// first and last seen are the <c>dead_at</c> of the group's oldest and newest rows, which the store writes in the
    /// order they die.
    /// </summary>
    public SqlCommandText Groups(DeadLetterFilter filter, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var p = new SqlParameters();
        return p.Command(
            $"SELECT g.group_key, g.n, g.first_id, g.last_id, f.dead_at, l.dead_at, f.queue, f.error_type, f.error_pattern, f.error_detail FROM " +
            $"(SELECT group_key, count(*) AS n, min(id) AS first_id, max(id) AS last_id FROM {dialect.Table}{dialect.GroupsIndexHint} " +
            $"WHERE {Where(filter, p)} GROUP BY group_key) g JOIN {dialect.Table} f ON f.id = g.first_id JOIN {dialect.Table} l ON l.id = g.last_id " +
            $"ORDER BY g.n DESC, g.first_id LIMIT {p.Add((long)limit)}");
    }

    /// <summary>Up to <paramref name="limit"/> rows (id, queue, error_type, error_message, error_detail) written before rows had a group key.</summary>
    public SqlCommandText Ungrouped(int limit)
    {
        var p = new SqlParameters();
        return p.Command(
            $"SELECT id, queue, error_type, error_message, error_detail FROM {dialect.Table} WHERE group_key IS NULL ORDER BY id LIMIT {p.Add((long)limit)}");
    }

    /// <summary>Sets one row's group key and masked message (see <see cref="DeadLetterFingerprint"/>).</summary>
    public SqlCommandText SetGroup(long id, string key, string pattern)
    {
        var p = new SqlParameters();
        return p.Command($"UPDATE {dialect.Table} SET group_key = {p.Add(DeadLetterFingerprint.ToStored(key))}, error_pattern = {p.Add(pattern)} WHERE id = {p.Add(id)}");
    }

    /// <summary>
    /// The claimable rows (dead, or replaying under a claim older than <paramref name="claimTimeout"/>)
    /// matching the filter, oldest first; the dialect's <see cref="SqlDialect.ClaimLockClause"/> is appended to the
    /// inner select. Returns the claimed rows.
    /// </summary>
    public SqlCommandText Claim(DeadLetterFilter filter, int limit, string claimant, DateTimeOffset? now, TimeSpan claimTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(claimant);
        var p = new SqlParameters();
        var dead = $"state = '{StateName(DeadLetterState.Dead)}'";
        var staleClaim = $"state = '{StateName(DeadLetterState.Replaying)}' AND claimed_at < {Before(p, now, claimTimeout)}";
        var where = Where(filter, p);
        // Without a lock clause (SQLite): the two kinds of claimable rows as two ordered walks of the (state, id) index,
        // merged — with an OR, SQLite's planner walks every row of the filter's queue (replayed ones included) and sorts.
        // A lock clause (PostgreSQL's FOR UPDATE SKIP LOCKED) cannot follow a UNION, so there the OR stays.
        var picked = dialect.ClaimLockClause.Length == 0
            ? $"SELECT id FROM (SELECT id FROM {dialect.Table} WHERE {dead} AND {where} UNION ALL " +
              $"SELECT id FROM {dialect.Table} WHERE {staleClaim} AND {where}) ORDER BY id LIMIT {p.Add((long)limit)}"
            : $"SELECT id FROM {dialect.Table} WHERE ({dead} OR ({staleClaim})) AND {where} ORDER BY id LIMIT {p.Add((long)limit)}{dialect.ClaimLockClause}";
        return p.Command(
            $"UPDATE {dialect.Table} SET state = '{StateName(DeadLetterState.Replaying)}', claimed_at = {Time(p, now)}, " +
            $"claimed_by = {p.Add(claimant)} WHERE id IN ({picked}) RETURNING {Columns}");
    }

    /// <summary>
    /// <c>replaying → replayed</c> for rows still claimed by <paramref name="claimant"/>. A row whose copy was already
    /// handled or dead-lettered again (the consumer can be quicker than the batched mark) keeps that state and is counted
    /// as replayed all the same.
    /// </summary>
    public SqlCommandText MarkReplayed(IReadOnlyList<long> ids, string claimant, DateTimeOffset? now)
    {
        var p = new SqlParameters();
        var replaying = StateName(DeadLetterState.Replaying);
        return p.Command(
            $"UPDATE {dialect.Table} SET state = CASE WHEN state = '{replaying}' THEN '{StateName(DeadLetterState.Replayed)}' ELSE state END, " +
            $"replayed_at = {Time(p, now)}, replay_count = replay_count + 1, replay_error = NULL " +
            $"WHERE {ClaimedBy(ids, claimant, p, [DeadLetterState.Replaying, DeadLetterState.Resolved, DeadLetterState.FailedAgain])} " +
            // A resolved or failed-again row is marked once for its claim: not when it already was (replayed_at at or after the claim).
            $"AND (state = '{replaying}' OR replayed_at IS NULL OR replayed_at < claimed_at)");
    }

    /// <summary><c>replaying | replayed → resolved</c>: the rows' replayed copies were handled.</summary>
    public SqlCommandText MarkResolved(IReadOnlyList<long> ids, DateTimeOffset? now)
    {
        var p = new SqlParameters();
        return p.Command(
            $"UPDATE {dialect.Table} SET state = '{StateName(DeadLetterState.Resolved)}', resolved_at = {Time(p, now)} " +
            $"WHERE {InStates(ReplayedOrReplaying)} AND {IdIn(ids, p)}");
    }

    /// <summary><c>replaying | replayed → failed-again</c>: the row's replayed copy was dead-lettered again as <paramref name="newId"/>.</summary>
    public SqlCommandText MarkFailedAgain(long replayedFrom, long newId)
    {
        var p = new SqlParameters();
        return p.Command(
            $"UPDATE {dialect.Table} SET state = '{StateName(DeadLetterState.FailedAgain)}', failed_again_id = {p.Add(newId)} " +
            $"WHERE id = {p.Add(replayedFrom)} AND {InStates(ReplayedOrReplaying)}");
    }

    /// <summary>The store's id (one row, one column), from its table of facts.</summary>
    public SqlCommandText StoreId() => Fact("store_id");

    private static readonly DeadLetterState[] ReplayedOrReplaying = [DeadLetterState.Replaying, DeadLetterState.Replayed];

    private static string InStates(IEnumerable<DeadLetterState> states) => $"state IN ({string.Join(", ", states.Select(s => $"'{StateName(s)}'"))})";

    public SqlCommandText ReleaseClaim(IReadOnlyList<long> ids, string claimant, string? error)
    {
        var p = new SqlParameters();
        return p.Command(
            $"UPDATE {dialect.Table} SET state = '{StateName(DeadLetterState.Dead)}', replay_error = {p.Add(error)} " +
            $"WHERE {ClaimedBy(ids, claimant, p)}");
    }

    public SqlCommandText Discard(DeadLetterFilter filter)
    {
        var p = new SqlParameters();
        return p.Command(
            $"UPDATE {dialect.Table} SET state = '{StateName(DeadLetterState.Discarded)}' " +
            $"WHERE state = '{StateName(DeadLetterState.Dead)}' AND {Where(filter, p)}");
    }

    /// <summary>Deletes matching rows except those under a live claim (claimed within <paramref name="claimTimeout"/> of now).</summary>
    public SqlCommandText Purge(DeadLetterFilter filter, DateTimeOffset? now, TimeSpan claimTimeout)
    {
        var p = new SqlParameters();
        return p.Command(
            $"DELETE FROM {dialect.Table} WHERE NOT (state = '{StateName(DeadLetterState.Replaying)}' AND claimed_at >= {Before(p, now, claimTimeout)}) " +
            $"AND {Where(filter, p)}");
    }

    /// <summary>The same text for every insert, so providers prepare it once.</summary>
    private string InsertText(int valueCount)
    {
        var placeholders = Enumerable.Range(0, valueCount).Select(i =>
            i is DeadLetterRows.PropertiesIndex or DeadLetterRows.HeadersIndex ? InsertParameterNames[i] + dialect.JsonCast : InsertParameterNames[i]);
        return $"INSERT INTO {dialect.Table} ({InsertColumns}) VALUES ({string.Join(", ", placeholders)}, '{StateName(DeadLetterState.Dead)}', 0) RETURNING id";
    }

    /// <summary>The stored name of a state: <c>dead</c>, <c>replaying</c>, <c>replayed</c>, <c>discarded</c>.</summary>
    public static string StateName(DeadLetterState state) => state switch
    {
        DeadLetterState.Dead => "dead",
        DeadLetterState.Replaying => "replaying",
        DeadLetterState.Replayed => "replayed",
        DeadLetterState.Discarded => "discarded",
        DeadLetterState.Resolved => "resolved",
        DeadLetterState.FailedAgain => "failed-again",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a dead-letter state"),
    };

    /// <summary>Every state's stored name, comma-separated, for messages.</summary>
    public static string StateNames { get; } = string.Join(", ", Enum.GetValues<DeadLetterState>().Select(StateName));

    /// <summary>The state with this stored name.</summary>
    /// <exception cref="FormatException">Not a state name.</exception>
    public static DeadLetterState ParseState(string name) => name switch
    {
        "dead" => DeadLetterState.Dead,
        "replaying" => DeadLetterState.Replaying,
        "replayed" => DeadLetterState.Replayed,
        "discarded" => DeadLetterState.Discarded,
        "resolved" => DeadLetterState.Resolved,
        "failed-again" => DeadLetterState.FailedAgain,
        _ => throw new FormatException($"'{name}' is not a dead-letter state ({StateNames})"),
    };

    /// <summary>
    /// An instant for a statement: <paramref name="now"/> bound as a parameter, or — when the store keeps no clock of its own
    /// (<see langword="null"/>) — the database server's current time.
    /// </summary>
    private string Time(SqlParameters p, DateTimeOffset? now) => now is { } instant ? p.Add(Truncate(instant)) : ServerNow();

    /// <summary><paramref name="span"/> before <see cref="Time"/>.</summary>
    private string Before(SqlParameters p, DateTimeOffset? now, TimeSpan span) =>
        now is { } instant ? p.Add(Truncate(instant - span)) : $"({ServerNow()} - {p.Add(span)})";

    private string ServerNow() => dialect.ServerNow.Length > 0
        ? dialect.ServerNow
        : throw new InvalidOperationException("this database shares the process's clock: the store must give the time");

    /// <summary>The instant truncated to whole microseconds.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset instant) =>
        new(instant.UtcTicks - instant.UtcTicks % (TimeSpan.TicksPerMillisecond / 1000), TimeSpan.Zero);

    /// <summary>The SQL condition for <paramref name="filter"/>; <c>1 = 1</c> for the empty filter.</summary>
    public string Where(DeadLetterFilter filter, SqlParameters p)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var conditions = new List<string>();
        if (filter.Ids is { } ids) conditions.Add(IdIn(ids, p));
        if (filter.Queue is { } queue) conditions.Add($"queue = {p.Add(queue)}");
        if (filter.ErrorType is { } errorType) conditions.Add($"error_type = {p.Add(errorType)}");
        if (filter.MessageId is { } messageId) conditions.Add($"message_id = {p.Add(messageId)}");
        if (filter.Group is { } group) conditions.Add($"group_key = {p.Add(DeadLetterFingerprint.ToStored(group))}");
        if (filter.ErrorMessageContains is { } text) conditions.Add($"{dialect.ContainsFunction}(error_message, {p.Add(text)}) > 0");
        if (filter.Search is { } search) conditions.Add(SearchCondition(DeadLetterSearch.SearchWords(search), p));
        if (filter.DeadFrom is { } from) conditions.Add($"dead_at >= {p.Add(Truncate(from))}");
        if (filter.DeadBefore is { } before) conditions.Add($"dead_at < {p.Add(Truncate(before))}");
        if (filter.States is { } states)
            conditions.Add(states.Count == 0 ? "1 = 0" : InStates(states.Distinct()));
        return conditions.Count == 0 ? "1 = 1" : string.Join(" AND ", conditions);
    }

    private string SearchCondition(IReadOnlyList<string> words, SqlParameters p) => dialect.SearchIndex == SearchIndex.TsVectorColumn
        ? $"search @@ to_tsquery('simple', {p.Add(DeadLetterSearch.TsQuery(words))})"
        : $"id IN (SELECT rowid FROM {SearchTable} WHERE {SearchTable} MATCH {p.Add(DeadLetterSearch.Fts5Query(words))})";

    private string ClaimedBy(IReadOnlyList<long> ids, string claimant, SqlParameters p, DeadLetterState[]? states = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentException.ThrowIfNullOrWhiteSpace(claimant);
        return $"{InStates(states ?? [DeadLetterState.Replaying])} AND claimed_by = {p.Add(claimant)} AND {IdIn(ids, p)}";
    }

    /// <summary><c>id IN (...)</c> with the ids as one JSON array parameter (see <see cref="SqlDialect.IdsFromJson"/>).</summary>
    private string IdIn(IReadOnlyList<long> ids, SqlParameters p)
    {
        if (ids.Count == 0) return "1 = 0";
        var json = new StringBuilder(ids.Count * 8 + 2).Append('[');
        for (var i = 0; i < ids.Count; i++)
        {
            if (i > 0) json.Append(',');
            json.Append(ids[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return $"id IN ({string.Format(System.Globalization.CultureInfo.InvariantCulture, dialect.IdsFromJson, p.Add(json.Append(']').ToString()))})";
    }
}
