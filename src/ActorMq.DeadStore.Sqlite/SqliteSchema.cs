namespace ActorMq.DeadStore.Sqlite;

/// <summary>The versioned schema of the SQLite store. A new version appends a migration; applied ones never change.</summary>
internal static class SqliteSchema
{
    public const string Table = "dead_letters";
    public const string MigrationsTable = "actormq_dead_store_migrations";
    public const string MetaTable = "actormq_dead_store_meta";

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
        // SQLite cannot change a CHECK constraint in place: the table is rebuilt (ids and the AUTOINCREMENT high-water mark
        // kept, so an id is never handed out twice) with the two new states, the replay-lineage columns, and the store's id.
        (3, "closed replay loop: resolved, failed-again, replayed_from, store id", """
            CREATE TABLE dead_letters_v3 (
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
                state           TEXT NOT NULL CHECK (state IN ('dead', 'replaying', 'replayed', 'discarded', 'resolved', 'failed-again')),
                replayed_at     TEXT,
                replay_count    INTEGER NOT NULL DEFAULT 0,
                claimed_at      TEXT,
                claimed_by      TEXT,
                replay_error    TEXT,
                group_key       INTEGER,
                error_pattern   TEXT,
                replayed_from   INTEGER,
                failed_again_id INTEGER,
                resolved_at     TEXT
            );
            INSERT INTO dead_letters_v3 (id, message_id, queue, exchange, routing_key, properties, headers, body, error_type, error_message,
                error_detail, attempts, first_failed_at, dead_at, state, replayed_at, replay_count, claimed_at, claimed_by, replay_error,
                group_key, error_pattern)
            SELECT id, message_id, queue, exchange, routing_key, properties, headers, body, error_type, error_message,
                error_detail, attempts, first_failed_at, dead_at, state, replayed_at, replay_count, claimed_at, claimed_by, replay_error,
                group_key, error_pattern
            FROM dead_letters ORDER BY id;
            INSERT INTO sqlite_sequence (name, seq) SELECT 'dead_letters_v3', 0
                WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'dead_letters_v3');
            UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM sqlite_sequence WHERE name IN ('dead_letters', 'dead_letters_v3'))
                WHERE name = 'dead_letters_v3';
            DROP TABLE dead_letters;
            ALTER TABLE dead_letters_v3 RENAME TO dead_letters;
            CREATE INDEX ix_dead_letters_state_id ON dead_letters (state, id);
            CREATE INDEX ix_dead_letters_queue_error_type ON dead_letters (queue, error_type);
            CREATE INDEX ix_dead_letters_dead_at ON dead_letters (dead_at);
            CREATE INDEX ix_dead_letters_message_id ON dead_letters (message_id);
            CREATE INDEX ix_dead_letters_group ON dead_letters (group_key, state);
            CREATE INDEX ix_dead_letters_replayed_from ON dead_letters (replayed_from) WHERE replayed_from IS NOT NULL;
            CREATE TABLE actormq_dead_store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT INTO actormq_dead_store_meta (key, value) VALUES ('store_id', lower(hex(randomblob(16))));
            """),
        // The words rows are found by (DeadLetterSearch): a contentless FTS5 table keyed by the row's id, so the text is not
        // stored twice; a row deleted by a purge leaves it through the trigger. Rows are indexed after they are written, in
        // id order (IndexForSearchAsync, and before any search): the fact records up to which id; rows written before
        // version 4 are simply the first ones waiting.
        (4, "search: dead_letters_search (FTS5)", """
            CREATE VIRTUAL TABLE dead_letters_search USING fts5(text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
            CREATE TRIGGER dead_letters_search_delete AFTER DELETE ON dead_letters BEGIN
                DELETE FROM dead_letters_search WHERE rowid = old.id;
            END;
            INSERT INTO actormq_dead_store_meta (key, value) VALUES ('search_indexed_through', '0');
            """),
    ];
}
