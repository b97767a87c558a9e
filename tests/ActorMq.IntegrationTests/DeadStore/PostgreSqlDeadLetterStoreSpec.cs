using ActorMq.DeadStore;
using ActorMq.DeadStore.PostgreSql;
using ActorMq.Tests.DeadStore;
using Npgsql;
using Xunit;
using static ActorMq.Tests.DeadStore.DeadLetterSamples;

namespace ActorMq.IntegrationTests.DeadStore;

/// <summary>The shared store behaviour against a real PostgreSQL, each test in a schema of its own; plus what only a server can do.</summary>
public sealed class PostgreSqlDeadLetterStoreSpec(PostgresDatabaseFixture database) : DeadLetterStoreSpec, IClassFixture<PostgresDatabaseFixture>
{
    private readonly string _schema = $"t_{Guid.NewGuid():N}";

    internal static DeadStoreSettings Settings(string connectionString, string schema) =>
        new("postgresql", ClaimTimeout, new SqliteStoreSettings("unused.db", TimeSpan.FromSeconds(5), SqliteSynchronous.Full),
            new PostgreSqlStoreSettings(connectionString, schema, TimeSpan.FromSeconds(30)));

    protected override IDeadLetterStore NewStore(TimeProvider clock) => new PostgreSqlDeadLetterStore(Settings(database.ConnectionString, _schema), clock);

    protected override async Task DeleteDatabaseAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task PostgreSql_claim_must_skip_rows_another_transaction_holds_instead_of_waiting()
    {
        var store = await OpenStoreAsync();
        var ids = await store.AddBatchAsync([Letter(), Letter(), Letter()]);
        await using var other = new NpgsqlConnection(database.ConnectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand($"SELECT id FROM {_schema}.dead_letters WHERE id = {ids[0]} FOR UPDATE", other, transaction))
            await hold.ExecuteNonQueryAsync();

        var claimed = await store.ClaimForReplayAsync(DeadLetterFilter.All, 10, "operator-b");

        Assert.Equal([ids[1], ids[2]], claimed.Select(r => r.Id));
        await transaction.RollbackAsync();
        Assert.Equal([ids[0]], (await store.ClaimForReplayAsync(DeadLetterFilter.All, 10, "operator-b")).Select(r => r.Id));
    }

    [Fact]
    public async Task PostgreSql_store_without_a_clock_of_its_own_times_claims_by_the_servers_clock()
    {
        // Instances whose clocks drift must agree on when a claim is stale: the server's now() decides, not the caller's.
        await using var store = new PostgreSqlDeadLetterStore(Settings(database.ConnectionString, _schema));
        await store.InitializeAsync();
        var ids = await store.AddBatchAsync([DeadLetterSamples.Letter(), DeadLetterSamples.Letter()]);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        async Task<DateTimeOffset> ServerNowAsync()
        {
            await using var now = new NpgsqlCommand("SELECT clock_timestamp()", connection);
            await using var reader = await now.ExecuteReaderAsync();
            await reader.ReadAsync();
            return reader.GetFieldValue<DateTimeOffset>(0);
        }

        var before = await ServerNowAsync();
        Assert.Equal(2, (await store.ClaimForReplayAsync(DeadLetterFilter.ByIds(ids), 10, "instance-a")).Count);
        var after = await ServerNowAsync();
        var claimedAt = (await store.GetAsync(ids[0]))!.ClaimedAt!.Value;
        Assert.InRange(claimedAt, before, after);

        // Claims aged on the server: six minutes is past the five-minute claim timeout, one minute is not.
        await using (var age = new NpgsqlCommand(
            $"UPDATE {_schema}.dead_letters SET claimed_at = now() - CASE WHEN id = @stale THEN interval '6 minutes' ELSE interval '1 minute' END", connection))
        {
            age.Parameters.AddWithValue("stale", ids[0]);
            await age.ExecuteNonQueryAsync();
        }
        var taken = Assert.Single(await store.ClaimForReplayAsync(DeadLetterFilter.ByIds(ids), 10, "instance-b"));
        Assert.Equal(ids[0], taken.Id);
        Assert.Equal(1, await store.MarkReplayedAsync([ids[0]], "instance-b"));
        Assert.InRange((await store.GetAsync(ids[0]))!.ReplayedAt!.Value, before, await ServerNowAsync());
        // The live claim (one minute old) is not purged.
        Assert.Equal(1, await store.PurgeAsync(DeadLetterFilter.ByIds(ids)));
        Assert.NotNull(await store.GetAsync(ids[1]));
    }

    [Fact]
    public async Task PostgreSql_store_must_keep_its_tables_in_the_configured_schema_with_each_migration_recorded_once()
    {
        await OpenStoreAsync();
        await OpenStoreAsync();

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand($"SELECT version, description FROM {_schema}.actormq_dead_store_migrations ORDER BY version", connection);
        await using var reader = await query.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1, reader.GetInt32(0));
        Assert.Equal("create dead_letters", reader.GetString(1));
        Assert.True(await reader.ReadAsync());
        Assert.Equal(2, reader.GetInt32(0));
        Assert.Equal("failure groups: group_key, error_pattern", reader.GetString(1));
        Assert.True(await reader.ReadAsync());
        Assert.Equal(3, reader.GetInt32(0));
        Assert.Equal("closed replay loop: resolved, failed-again, replayed_from, store id", reader.GetString(1));
        Assert.True(await reader.ReadAsync());
        Assert.Equal(4, reader.GetInt32(0));
        Assert.Equal("search: search tsvector, GIN index", reader.GetString(1));
        Assert.False(await reader.ReadAsync());
        await reader.CloseAsync();
        await using var meta = new NpgsqlCommand($"SELECT count(*) FROM {_schema}.actormq_dead_store_meta WHERE key = 'store_id'", connection);
        Assert.Equal(1L, await meta.ExecuteScalarAsync());
    }

    [Fact]
    public async Task PostgreSql_store_must_give_the_rows_of_an_earlier_version_their_failure_group_when_it_migrates()
    {
        var store = await OpenStoreAsync();
        var ids = await store.AddBatchAsync([Letter(errorMessage: "timed out for order 1"), Letter(errorMessage: "timed out for order 2"), Letter("payments")]);
        // Back to schema version 1, as an earlier ActorMq left it.
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var downgrade = new NpgsqlCommand(
                $"DROP INDEX {_schema}.ix_dead_letters_group; ALTER TABLE {_schema}.dead_letters DROP COLUMN group_key, DROP COLUMN error_pattern; " +
                $"DELETE FROM {_schema}.actormq_dead_store_migrations WHERE version = 2", connection);
            await downgrade.ExecuteNonQueryAsync();
        }

        var migrated = await OpenStoreAsync();

        var groups = await migrated.GroupsAsync(DeadLetterFilter.All);
        Assert.Equal([2L, 1L], groups.Select(g => g.Count));
        Assert.Equal("timed out for order <n>", groups[0].Pattern);
        Assert.Equal(groups[0].Key, (await migrated.GetAsync(ids[1]))!.GroupKey);
    }

    [Fact]
    public async Task PostgreSql_store_must_index_the_rows_of_an_earlier_version_for_search_when_it_migrates()
    {
        var store = await OpenStoreAsync();
        var ids = await store.AddBatchAsync(
            [Letter(errorMessage: "stock count mismatch"), Letter(errorMessage: "card declined"), Letter(errorMessage: "stock level unknown")]);
        // Back to schema version 3, as an earlier ActorMq left it: no search column.
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var downgrade = new NpgsqlCommand(
                $"DROP INDEX {_schema}.ix_dead_letters_search; DROP INDEX {_schema}.ix_dead_letters_unindexed; ALTER TABLE {_schema}.dead_letters DROP COLUMN search; " +
                $"DELETE FROM {_schema}.actormq_dead_store_migrations WHERE version = 4", connection);
            await downgrade.ExecuteNonQueryAsync();
        }

        var migrated = await OpenStoreAsync();

        var found = await migrated.ListAsync(new DeadLetterQuery { Filter = new() { Search = "stock" }, Limit = 10 });
        Assert.Equal([ids[0], ids[2]], found.Items.Select(r => r.Id));
        Assert.Equal([ids[1]], (await migrated.ListAsync(new DeadLetterQuery { Filter = new() { Search = "CARD decl" }, Limit = 10 })).Items.Select(r => r.Id));
        await using var check = new NpgsqlConnection(database.ConnectionString);
        await check.OpenAsync();
        await using var left = new NpgsqlCommand($"SELECT count(*) FROM {_schema}.dead_letters WHERE search IS NULL", check);
        Assert.Equal(0L, await left.ExecuteScalarAsync());
    }

    [Fact]
    public async Task PostgreSql_store_must_initialize_safely_when_many_instances_start_at_once()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => NewStore(Clock)).ToList();
        try
        {
            await Task.WhenAll(stores.Select(s => s.InitializeAsync()));
            Assert.Equal(1, (await stores[0].ListAsync(new DeadLetterQuery { Limit = 1, Filter = DeadLetterFilter.ById(await stores[5].AddAsync(Letter())) })).Total);
        }
        finally
        {
            foreach (var store in stores) await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task PostgreSql_store_must_keep_a_letter_whose_text_holds_NUL_characters()
    {
        var store = await OpenStoreAsync();
        var letter = Letter(errorMessage: "bad byte \0 in input") with { Headers = new Dictionary<string, object?> { ["raw"] = "a\0b" } };

        var stored = (await store.GetAsync(await store.AddAsync(letter)))!;

        Assert.Equal("bad byte \uFFFD in input", stored.Letter.ErrorMessage);
        Assert.Equal("a\0b", stored.Letter.Headers["raw"]);
    }

    [Fact]
    public void PostgreSql_store_must_name_the_setting_of_a_bad_connection_string()
    {
        var error = Assert.Throws<ConfigurationException>(() => new PostgreSqlDeadLetterStore(Settings("Hots=nowhere;Nonsense", "actormq")));

        Assert.Equal("actormq.dead-store.postgresql.connection-string", error.Path);
    }

    [Fact]
    public async Task PostgreSql_store_name_must_not_show_the_password()
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Password = "s3cret-Pa55" };
        await using var store = new PostgreSqlDeadLetterStore(Settings(builder.ConnectionString, "actormq"));

        Assert.DoesNotContain("s3cret-Pa55", store.Name);
        Assert.Contains(database.DatabaseName, store.Name);
    }
}
