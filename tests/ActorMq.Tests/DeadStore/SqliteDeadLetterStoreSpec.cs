using System.Diagnostics;
using ActorMq.DeadStore;
using ActorMq.DeadStore.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit;
using static ActorMq.Tests.DeadStore.DeadLetterSamples;

namespace ActorMq.Tests.DeadStore;

/// <summary>The shared store behaviour on SQLite, plus what only a file can do: be locked, read-only, not a database.</summary>
public sealed class SqliteDeadLetterStoreSpec : DeadLetterStoreSpec
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actormq-dead-").FullName;

    private string DatabasePath => Path.Combine(_directory, "actormq-dead.db");

    private static DeadStoreSettings Settings(string path) =>
        new("sqlite", ClaimTimeout, new SqliteStoreSettings(path, TimeSpan.FromSeconds(10), SqliteSynchronous.Full), new PostgreSqlStoreSettings("", "", TimeSpan.FromSeconds(30)));

    protected override IDeadLetterStore NewStore(TimeProvider clock) => new SqliteDeadLetterStore(Settings(DatabasePath), clock);

    protected override Task DeleteDatabaseAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Sqlite_store_must_create_the_file_in_wal_mode_and_record_each_migration_once()
    {
        var store = await OpenStoreAsync();
        await store.InitializeAsync();

        using var connection = Open(DatabasePath);
        Assert.Equal("wal", Query(connection, "PRAGMA journal_mode").ExecuteScalar());
        using var migrations = Query(connection, "SELECT version, description FROM actormq_dead_store_migrations ORDER BY version").ExecuteReader();
        Assert.True(migrations.Read());
        Assert.Equal(1, migrations.GetInt64(0));
        Assert.Equal("create dead_letters", migrations.GetString(1));
        Assert.True(migrations.Read());
        Assert.Equal(2, migrations.GetInt64(0));
        Assert.Equal("failure groups: group_key, error_pattern", migrations.GetString(1));
        Assert.True(migrations.Read());
        Assert.Equal(3, migrations.GetInt64(0));
        Assert.Equal("closed replay loop: resolved, failed-again, replayed_from, store id", migrations.GetString(1));
        Assert.True(migrations.Read());
        Assert.Equal(4, migrations.GetInt64(0));
        Assert.Equal("search: dead_letters_search (FTS5)", migrations.GetString(1));
        Assert.False(migrations.Read());
    }

    [Fact]
    public async Task Sqlite_store_must_refuse_a_schema_newer_than_it_knows()
    {
        await (await OpenStoreAsync()).DisposeAsync();
        using (var connection = Open(DatabasePath))
            Query(connection, "INSERT INTO actormq_dead_store_migrations VALUES (99, 'from the future', '2030-01-01T00:00:00.000000Z')").ExecuteNonQuery();

        var error = await Assert.ThrowsAsync<DeadStoreException>(() => NewStore(Clock).InitializeAsync());

        Assert.Equal("initialize", error.Operation);
        Assert.Contains("version 99", error.Message);
        Assert.Contains(DatabasePath, error.Message);
    }

    [Fact]
    public async Task Sqlite_store_must_report_a_locked_file_with_its_path_then_work_once_it_is_free()
    {
        var path = Path.Combine(_directory, "locked.db");
        var store = new SqliteDeadLetterStore(Settings(path) with { Sqlite = new SqliteStoreSettings(path, TimeSpan.FromMilliseconds(50), SqliteSynchronous.Full) }, Clock);
        await using var _ = store;
        await store.InitializeAsync();
        using var holder = Open(path);
        Query(holder, "BEGIN EXCLUSIVE").ExecuteNonQuery();

        var error = await Assert.ThrowsAsync<DeadStoreException>(() => store.AddAsync(Letter()));

        Assert.Equal("add", error.Operation);
        Assert.Contains(path, error.Store);
        Assert.Contains("SQLITE_BUSY", error.Message);
        Query(holder, "ROLLBACK").ExecuteNonQuery();
        Assert.NotNull(await store.GetAsync(await store.AddAsync(Letter())));
    }

    [Fact]
    public async Task Sqlite_store_must_report_a_read_only_file_with_its_path_then_work_once_it_is_writable()
    {
        var store = await OpenStoreAsync();
        await store.AddAsync(Letter());
        await store.DisposeAsync();
        SetReadOnly(DatabasePath, true);
        try
        {
            var reopened = await OpenStoreAsync();
            var error = await Assert.ThrowsAsync<DeadStoreException>(() => reopened.AddAsync(Letter()));
            Assert.Contains(DatabasePath, error.Message);
            Assert.Contains("readonly", error.Message, StringComparison.OrdinalIgnoreCase);

            SetReadOnly(DatabasePath, false);
            Assert.NotNull(await reopened.GetAsync(await reopened.AddAsync(Letter())));
        }
        finally
        {
            SetReadOnly(DatabasePath, false);
        }
    }

    [Fact]
    public async Task Sqlite_store_must_report_a_path_it_cannot_open()
    {
        var blocker = Path.Combine(_directory, "a-file");
        await File.WriteAllTextAsync(blocker, "not a directory");
        var path = Path.Combine(blocker, "dead.db");

        var error = await Assert.ThrowsAsync<DeadStoreException>(() => new SqliteDeadLetterStore(Settings(path), Clock).InitializeAsync());

        Assert.Equal("initialize", error.Operation);
        Assert.Contains(path, error.Message);
        Assert.Contains("SQLITE_CANTOPEN", error.Message);
    }

    [Fact]
    public async Task Sqlite_store_must_report_a_file_that_is_not_a_database()
    {
        var path = Path.Combine(_directory, "garbage.db");
        await File.WriteAllBytesAsync(path, Enumerable.Repeat((byte)0x5A, 8192).ToArray());

        var error = await Assert.ThrowsAsync<DeadStoreException>(() => new SqliteDeadLetterStore(Settings(path), Clock).InitializeAsync());

        Assert.Contains(path, error.Message);
        Assert.Contains("SQLITE_NOTADB", error.Message);
    }

    [Fact]
    public async Task Sqlite_store_must_serialize_concurrent_calls_on_one_store()
    {
        var store = await OpenStoreAsync();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++) await store.AddAsync(Letter($"q{w}"));
        }));
        await Task.WhenAll(writers);

        var counts = await store.CountAsync(DeadLetterFilter.All);
        Assert.Equal(4, counts.Count);
        Assert.All(counts, c => Assert.Equal(50, c.Count));
    }

    [Fact]
    public async Task Sqlite_store_must_refuse_calls_after_dispose()
    {
        var store = await OpenStoreAsync();
        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetAsync(1));
    }

    [Fact]
    public async Task Sqlite_store_must_run_on_the_bundled_sqlite_library()
    {
        await (await OpenStoreAsync()).DisposeAsync();
        using var connection = Open(DatabasePath);

        Assert.Matches(@"^3\.\d+\.\d+", connection.ServerVersion);
        Assert.Equal("e_sqlite3", SQLitePCL.raw.GetNativeLibraryName());
    }

    [Fact]
    public async Task Sqlite_store_must_write_a_batch_in_one_transaction_so_a_failing_row_leaves_none()
    {
        var store = await OpenStoreAsync();
        var broken = Letter() with { Queue = null! };

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AddBatchAsync([Letter("batch"), broken]));

        Assert.Empty(await store.CountAsync(new DeadLetterFilter { Queue = "batch" }));
        Assert.Equal(2, (await store.AddBatchAsync([Letter("batch"), Letter("batch")])).Count);
    }

    [Fact]
    public async Task Sqlite_store_must_roll_back_a_batch_that_fails_inside_the_database()
    {
        var store = await OpenStoreAsync();
        await store.AddAsync(Letter("batch"));
        using (var connection = Open(DatabasePath))
            Query(connection, "CREATE TRIGGER no_poison BEFORE INSERT ON dead_letters WHEN NEW.queue = 'poison' BEGIN SELECT RAISE(ABORT, 'poison refused'); END").ExecuteNonQuery();

        var error = await Assert.ThrowsAsync<DeadStoreException>(() => store.AddBatchAsync([Letter("batch"), Letter("poison")]));

        Assert.Contains("poison refused", error.Message);
        Assert.Contains("SQLITE_CONSTRAINT", error.Message);
        Assert.Equal(1, Assert.Single(await store.CountAsync(new DeadLetterFilter { Queue = "batch" })).Count);
        Assert.Equal(2, (await store.AddBatchAsync([Letter("batch"), Letter("batch")])).Count);
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static SqliteCommand Query(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>
    /// Makes the file read-only in a way that also binds root (tests may run as root, which ignores
    /// permission bits): the immutable attribute for root, the permission bits otherwise.
    /// </summary>
    private static void SetReadOnly(string path, bool readOnly)
    {
        if (Environment.IsPrivilegedProcess)
        {
            using var chattr = Process.Start(new ProcessStartInfo("chattr", [readOnly ? "+i" : "-i", path]) { RedirectStandardError = true })!;
            chattr.WaitForExit();
            Assert.True(chattr.ExitCode == 0, $"chattr failed: {chattr.StandardError.ReadToEnd()}");
        }
        else if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, readOnly ? UnixFileMode.UserRead : UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        else
        {
            File.SetAttributes(path, readOnly ? FileAttributes.ReadOnly : FileAttributes.Normal);
        }
    }
}
