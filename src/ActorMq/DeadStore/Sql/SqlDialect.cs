namespace ActorMq.DeadStore.Sql;

/// <summary>What differs between the SQL of the two providers: table names and a few functions.</summary>
/// <param name="Table">The dead-letter table, qualified and quoted as the database needs.</param>
/// <param name="MigrationsTable">The table of applied schema migrations.</param>
/// <param name="ContainsFunction">
/// A function <c>f(haystack, needle)</c> giving the 1-based position of needle in haystack, or 0
/// (<c>instr</c> in SQLite, <c>strpos</c> in PostgreSQL).
/// </param>
/// <param name="JsonCast">Appended to a parameter stored in a JSON column (<c>::json</c> in PostgreSQL, empty in SQLite).</param>
/// <param name="ClaimLockClause">
/// Appended to the select that picks rows to claim, so concurrent claims skip each other's rows
/// (<c> FOR UPDATE SKIP LOCKED</c> in PostgreSQL); empty where a write transaction already excludes other writers (SQLite).
/// </param>
internal sealed record SqlDialect(string Table, string MigrationsTable, string ContainsFunction, string JsonCast = "", string ClaimLockClause = "");
