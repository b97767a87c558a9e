using ActorMq.DeadStore.Sqlite.Native;
using Xunit;

namespace ActorMq.Tests.DeadStore.Native;

/// <summary>The internal binding over the system libsqlite3.</summary>
public sealed class SqliteConnectionSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actormq-sqlite-").FullName;

    private string DatabasePath => Path.Combine(_directory, "binding.db");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Binding_must_load_the_system_library()
    {
        Assert.Matches(@"^3\.\d+\.\d+", SqliteConnection.LibraryVersion);
    }

    [Fact]
    public void Binding_must_round_trip_text_blobs_and_numbers_keeping_empty_apart_from_null()
    {
        using var connection = SqliteConnection.Open(DatabasePath, create: true);
        connection.Execute("CREATE TABLE t (s TEXT, b BLOB, i INTEGER, r REAL)");
        var rows = new (object? Text, object? Blob, long Integer, double Real)[]
        {
            ("a\0b ünï 𝄞", new byte[] { 0, 1, 0, 255 }, long.MinValue, -0.5),
            ("", Array.Empty<byte>(), 0, 0),
            (null, null, long.MaxValue, double.MaxValue),
        };
        var insert = connection.Prepare("INSERT INTO t VALUES (@s, @b, @i, @r)");
        foreach (var row in rows)
        {
            insert.Bind("@s", row.Text);
            insert.Bind("@b", row.Blob);
            insert.Bind("@i", row.Integer);
            insert.Bind("@r", row.Real);
            insert.Run();
            insert.Reset();
        }

        using var select = connection.PrepareUncached("SELECT s, b, i, r, typeof(s), typeof(b) FROM t ORDER BY rowid");
        foreach (var row in rows)
        {
            Assert.True(select.Step());
            Assert.Equal(row.Text is null, select.IsNull(0));
            Assert.Equal(row.Blob is null, select.IsNull(1));
            if (row.Text is string text) Assert.Equal(text, select.GetString(0));
            if (row.Blob is byte[] blob) Assert.Equal(blob, select.GetBytes(1));
            Assert.Equal(row.Integer, select.GetInt64(2));
            Assert.Equal(row.Real, select.GetDouble(3));
            Assert.Equal(row.Text is null ? "null" : "text", select.GetString(4));
            Assert.Equal(row.Blob is null ? "null" : "blob", select.GetString(5));
        }
        Assert.False(select.Step());
    }

    [Fact]
    public void Binding_must_name_the_file_and_the_sql_when_a_statement_fails()
    {
        using var connection = SqliteConnection.Open(DatabasePath, create: true);

        var error = Assert.Throws<SqliteException>(() => connection.PrepareUncached("SELEKT 1"));

        Assert.Contains(DatabasePath, error.Message);
        Assert.Contains("SELEKT 1", error.Message);
        Assert.Contains("SQLITE_ERROR", error.Message);
    }

    [Fact]
    public void Binding_must_report_a_constraint_violation_from_step_and_stay_usable()
    {
        using var connection = SqliteConnection.Open(DatabasePath, create: true);
        connection.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
        var insert = connection.Prepare("INSERT INTO t VALUES (@id)");
        insert.Bind("@id", 1L);
        insert.Run();
        insert.Reset();

        insert.Bind("@id", 1L);
        var error = Assert.Throws<SqliteException>(insert.Run);
        insert.Reset();

        Assert.Equal(19, error.PrimaryCode);
        Assert.Contains("SQLITE_CONSTRAINT", error.Message);
        insert.Bind("@id", 2L);
        insert.Run();
        insert.Reset();
        Assert.Equal(2, connection.LastInsertRowId);
    }

    [Fact]
    public void Binding_must_refuse_an_unknown_parameter_name()
    {
        using var connection = SqliteConnection.Open(DatabasePath, create: true);
        using var statement = connection.PrepareUncached("SELECT @a");

        var error = Assert.Throws<ArgumentException>(() => statement.Bind("@b", 1L));

        Assert.Contains("'@b'", error.Message);
    }

    [Fact]
    public void Binding_must_not_create_a_missing_file_unless_asked()
    {
        var error = Assert.Throws<SqliteException>(() => SqliteConnection.Open(DatabasePath, create: false));

        Assert.Contains(DatabasePath, error.Message);
        Assert.False(File.Exists(DatabasePath));
    }
}
