using System.Diagnostics;
using ActorMq.DeadStore;
using ActorMq.DeadStore.Sqlite;
using ActorMq.DeadStore.Sqlite.Native;
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
    public async Task Sqlite_store_must_create_the_file_in_wal_mode_and_record_the_migration_once()
    {
        var store = await OpenStoreAsync();
        await store.InitializeAsync();

        using var connection = SqliteConnection.Open(DatabasePath, create: false);
        using var mode = connection.PrepareUncached("PRAGMA journal_mode");
        Assert.True(mode.Step());
        Assert.Equal("wal", mode.GetString(0));
        using var migrations = connection.PrepareUncached("SELECT version, description FROM actormq_dead_store_migrations");
        Assert.True(migrations.Step());
        Assert.Equal(1, migrations.GetInt64(0));
        Assert.Equal("create dead_letters", migrations.GetString(1));
        Assert.False(migrations.Step());
    }

    [Fact]
    public async Task Sqlite_store_must_refuse_a_schema_newer_than_it_knows()
    {
        await (await OpenStoreAsync()).DisposeAsync();
        using (var connection = SqliteConnection.Open(DatabasePath, create: false))
            connection.Execute("INSERT INTO actormq_dead_store_migrations VALUES (99, 'from the future', '2030-01-01T00:00:00.000000Z')");

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
        using var holder = SqliteConnection.Open(path, create: false);
        holder.Execute("BEGIN EXCLUSIVE");

        var error = await Assert.ThrowsAsync<DeadStoreException>(() => store.AddAsync(Letter()));

        Assert.Equal("add", error.Operation);
        Assert.Contains(path, error.Store);
        Assert.Contains("SQLITE_BUSY", error.Message);
        holder.Execute("ROLLBACK");
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
