namespace ActorMq.DeadStore.Sql;

/// <summary>What differs between the SQL of the two providers: table names and a few functions.</summary>
/// <param name="Table">The dead-letter table, qualified and quoted as the database needs.</param>
/// <param name="MigrationsTable">The table of applied schema migrations.</param>
/// <param name="MetaTable">The table of the store's facts (key, value), such as its id.</param>
/// <param name="ContainsFunction">
/// A function <c>f(haystack, needle)</c> giving the 1-based position of needle in haystack, or 0
/// (<c>instr</c> in SQLite, <c>strpos</c> in PostgreSQL).
/// </param>
/// <param name="JsonCast">Appended to a parameter stored in a JSON column (<c>::json</c> in PostgreSQL, empty in SQLite).</param>
/// <param name="ClaimLockClause">
/// Appended to the select that picks rows to claim, so concurrent claims skip each other's rows
/// (<c> FOR UPDATE SKIP LOCKED</c> in PostgreSQL); empty where a write transaction already excludes other writers (SQLite).
/// </param>
/// <param name="IdsFromJson">
/// A select of the ids in a JSON array bound as one parameter (<c>{0}</c>), for <c>id IN (...)</c>: one statement text
/// and one bound value for any number of ids, so a long list costs linear time (binding thousands of named parameters
/// costs quadratic time in SQLite, and runs into its limit on variables).
/// </param>
/// <param name="GroupsIndexHint">
/// Follows the table in the failure-groups aggregate: SQLite's <c>INDEXED BY ix_dead_letters_group</c>, so the aggregate
/// reads the small <c>(group_key, state)</c> index in key order rather than every row through the <c>(state, id)</c> index
/// (which its planner picks for a state filter without statistics); empty in PostgreSQL, whose planner has statistics.
/// </param>
/// <param name="ServerNow">
/// The database server's current time (<c>now()</c> in PostgreSQL), used for claims, replay and resolve times when the
/// store is given no clock of its own, so that service instances whose clocks drift agree on when a claim went stale;
/// empty where the database runs in the process and shares its clock (SQLite).
/// </param>
/// <param name="SearchIndex">How the store keeps the words of <see cref="DeadLetterFilter.Search"/> (see <see cref="DeadLetterSearch"/>).</param>
/// <param name="OrderCollation">Follows a text column in ORDER BY so both stores sort it by code point (<c> COLLATE "C"</c> in PostgreSQL; SQLite's default BINARY already does).</param>
internal sealed record SqlDialect(string Table, string MigrationsTable, string MetaTable, string ContainsFunction, string JsonCast = "", string ClaimLockClause = "",
    string IdsFromJson = "SELECT value FROM json_each({0})", string GroupsIndexHint = "", string OrderCollation = "", string ServerNow = "",
    SearchIndex SearchIndex = SearchIndex.Fts5Table);

/// <summary>Where a store keeps the words rows are searched by.</summary>
internal enum SearchIndex
{
    /// <summary>SQLite: a contentless FTS5 table <c>&lt;table&gt;_search</c> whose rowid is the row's id.</summary>
    Fts5Table,

    /// <summary>PostgreSQL: a <c>tsvector</c> column <c>search</c> (configuration <c>simple</c>) with a GIN index.</summary>
    TsVectorColumn,
}
