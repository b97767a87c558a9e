namespace ActorMq.DeadStore.PostgreSql;

/// <summary>The versioned schema of the PostgreSQL store. A new version appends a migration; applied ones never change.</summary>
internal static class PostgreSqlSchema
{
    public const string Table = "dead_letters";
    public const string MigrationsTable = "actormq_dead_store_migrations";
    public const string MetaTable = "actormq_dead_store_meta";

    /// <summary>The migrations, for the dead-letter table <paramref name="table"/> and the store's table of facts <paramref name="meta"/> (qualified and quoted).</summary>
    public static IReadOnlyList<(int Version, string Description, string Sql)> Migrations(string table, string meta) =>
    [
        (1, "create dead_letters", $"""
            CREATE TABLE {table} (
                id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                message_id      text,
                queue           text NOT NULL,
                exchange        text NOT NULL,
                routing_key     text NOT NULL,
                properties      json NOT NULL,
                headers         json NOT NULL,
                body            bytea NOT NULL,
                error_type      text NOT NULL,
                error_message   text NOT NULL,
                error_detail    text,
                attempts        integer NOT NULL,
                first_failed_at timestamptz NOT NULL,
                dead_at         timestamptz NOT NULL,
                state           text NOT NULL CHECK (state IN ('dead', 'replaying', 'replayed', 'discarded')),
                replayed_at     timestamptz,
                replay_count    integer NOT NULL DEFAULT 0,
                claimed_at      timestamptz,
                claimed_by      text,
                replay_error    text
            );
            CREATE INDEX ix_dead_letters_state_id ON {table} (state, id);
            CREATE INDEX ix_dead_letters_queue_error_type ON {table} (queue, error_type);
            CREATE INDEX ix_dead_letters_dead_at ON {table} (dead_at);
            CREATE INDEX ix_dead_letters_message_id ON {table} (message_id);
            """),
        // Rows written before version 2 get their group key from the store's initialization (computed in C#, in batches).
        (2, "failure groups: group_key, error_pattern", $"""
            ALTER TABLE {table} ADD COLUMN group_key bigint;
            ALTER TABLE {table} ADD COLUMN error_pattern text;
            CREATE INDEX ix_dead_letters_group ON {table} (group_key, state);
            """),
        (3, "closed replay loop: resolved, failed-again, replayed_from, store id", $"""
            ALTER TABLE {table} ADD COLUMN replayed_from bigint, ADD COLUMN failed_again_id bigint, ADD COLUMN resolved_at timestamptz;
            ALTER TABLE {table} DROP CONSTRAINT IF EXISTS dead_letters_state_check;
            ALTER TABLE {table} ADD CONSTRAINT dead_letters_state_check
                CHECK (state IN ('dead', 'replaying', 'replayed', 'discarded', 'resolved', 'failed-again'));
            CREATE INDEX ix_dead_letters_replayed_from ON {table} (replayed_from) WHERE replayed_from IS NOT NULL;
            CREATE TABLE {meta} (key text PRIMARY KEY, value text NOT NULL);
            INSERT INTO {meta} (key, value) VALUES ('store_id', replace(gen_random_uuid()::text, '-', ''));
            """),
        // The words rows are found by (DeadLetterSearch), as a tsvector of the 'simple' configuration (no stemming, no stop
        // words: the same words SQLite's FTS5 table keeps). A row is written with none (NULL) and indexed later
        // (IndexForSearchAsync, and before any search); the partial index finds the rows still waiting, those written
        // before version 4 among them.
        (4, "search: search tsvector, GIN index", $"""
            ALTER TABLE {table} ADD COLUMN search tsvector;
            CREATE INDEX ix_dead_letters_search ON {table} USING gin (search);
            CREATE INDEX ix_dead_letters_unindexed ON {table} (id) WHERE search IS NULL;
            """),
    ];
}
