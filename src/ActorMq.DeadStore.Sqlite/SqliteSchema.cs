namespace ActorMq.DeadStore.Sqlite;

/// <summary>The versioned schema of the SQLite store. A new version appends a migration; applied ones never change.</summary>
internal static class SqliteSchema
{
    public const string Table = "dead_letters";
    public const string MigrationsTable = "actormq_dead_store_migrations";

    public static readonly IReadOnlyList<(int Version, string Description, string Sql)> Migrations =
    [
        (1, "create dead_letters", """
            CREATE TABLE dead_letters (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id      TEXT,
                queue           TEXT NOT NULL,
                exchange        TEXT NOT NULL,
                routing_key     TEXT NOT NULL,
                properties      TEXT NOT NULL,
                headers         TEXT NOT NULL,
                body            BLOB NOT NULL,
                error_type      TEXT NOT NULL,
                error_message   TEXT NOT NULL,
                error_detail    TEXT,
                attempts        INTEGER NOT NULL,
                first_failed_at TEXT NOT NULL,
                dead_at         TEXT NOT NULL,
                state           TEXT NOT NULL CHECK (state IN ('dead', 'replaying', 'replayed', 'discarded')),
                replayed_at     TEXT,
                replay_count    INTEGER NOT NULL DEFAULT 0,
                claimed_at      TEXT,
                claimed_by      TEXT,
                replay_error    TEXT
            );
            CREATE INDEX ix_dead_letters_state_id ON dead_letters (state, id);
            CREATE INDEX ix_dead_letters_queue_error_type ON dead_letters (queue, error_type);
            CREATE INDEX ix_dead_letters_dead_at ON dead_letters (dead_at);
            CREATE INDEX ix_dead_letters_message_id ON dead_letters (message_id);
            """),
        // Rows written before version 2 get their group key from the store's initialization (computed in C#, in batches).
        (2, "failure groups: group_key, error_pattern", """
            ALTER TABLE dead_letters ADD COLUMN group_key INTEGER;
            ALTER TABLE dead_letters ADD COLUMN error_pattern TEXT;
            CREATE INDEX ix_dead_letters_group ON dead_letters (group_key, state);
            """),
    ];
}
