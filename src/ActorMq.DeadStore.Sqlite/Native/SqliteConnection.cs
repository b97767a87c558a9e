using System.Text;

namespace ActorMq.DeadStore.Sqlite.Native;

/// <summary>
/// One connection to a SQLite database file, over the system library. Not thread-safe: the owner
/// serializes calls. Every failure is a <see cref="SqliteException"/> naming the file and the SQL.
/// Prepared statements are cached per SQL text and reused.
/// </summary>
internal sealed unsafe class SqliteConnection : IDisposable
{
    private const int MaxCachedStatements = 64;
    private readonly SqliteDatabaseHandle _db;
    private readonly Dictionary<string, SqliteStatement> _statements = new(StringComparer.Ordinal);

    private SqliteConnection(string path, SqliteDatabaseHandle db)
    {
        Path = path;
        _db = db;
    }

    public string Path { get; }

    /// <summary>The version of the loaded SQLite library, e.g. <c>3.40.1</c>.</summary>
    public static string LibraryVersion => SqliteNative.FromUtf8(SqliteNative.sqlite3_libversion()) ?? "";

    /// <summary>True outside an explicit transaction.</summary>
    public bool IsAutocommit => SqliteNative.sqlite3_get_autocommit(_db) != 0;

    /// <summary>Rows changed by the last INSERT, UPDATE or DELETE.</summary>
    public int Changes => SqliteNative.sqlite3_changes(_db);

    public long LastInsertRowId => SqliteNative.sqlite3_last_insert_rowid(_db);

    /// <summary>Opens (and with <paramref name="create"/> creates) the database file.</summary>
    public static SqliteConnection Open(string path, bool create, bool readOnly = false, TimeSpan? busyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var flags = SqliteNative.OpenFullMutex
            | (readOnly ? SqliteNative.OpenReadOnly : SqliteNative.OpenReadWrite)
            | (create && !readOnly ? SqliteNative.OpenCreate : 0);
        var rc = SqliteNative.sqlite3_open_v2(path, out var raw, flags, 0);
        var db = SqliteDatabaseHandle.Adopt(raw);
        if (rc != SqliteNative.Ok)
        {
            var message = raw == 0 ? ErrorString(rc) : SqliteNative.FromUtf8(SqliteNative.sqlite3_errmsg(db)) ?? ErrorString(rc);
            db.Dispose();
            throw new SqliteException(path, "open", rc, message);
        }
        var connection = new SqliteConnection(path, db);
        SqliteNative.sqlite3_extended_result_codes(db, 1);
        if (busyTimeout is { } timeout)
            SqliteNative.sqlite3_busy_timeout(db, (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue));
        return connection;
    }

    /// <summary>Runs one or more statements that return no rows (<c>sqlite3_exec</c>).</summary>
    public void Execute(string sql)
    {
        var bytes = NulTerminatedUtf8(sql);
        int rc;
        nint error;
        fixed (byte* text = bytes) rc = SqliteNative.sqlite3_exec(_db, text, 0, 0, out error);
        if (rc == SqliteNative.Ok) return;
        var message = error != 0 ? SqliteNative.FromUtf8((byte*)error) : null;
        if (error != 0) SqliteNative.sqlite3_free(error);
        throw new SqliteException(Path, Describe(sql), rc, message ?? LastError(rc));
    }

    /// <summary>The cached prepared statement for <paramref name="sql"/>, reset and unbound, ready to bind and step.</summary>
    public SqliteStatement Prepare(string sql)
    {
        if (_statements.TryGetValue(sql, out var cached)) return cached;
        if (_statements.Count >= MaxCachedStatements) ClearStatementCache();
        var statement = PrepareUncached(sql);
        _statements[sql] = statement;
        return statement;
    }

    /// <summary>A new prepared statement the caller disposes.</summary>
    public SqliteStatement PrepareUncached(string sql)
    {
        var bytes = Encoding.UTF8.GetBytes(sql);
        int rc;
        nint raw;
        fixed (byte* text = bytes) rc = SqliteNative.sqlite3_prepare_v2(_db, text, bytes.Length, out raw, out _);
        var handle = SqliteStatementHandle.Adopt(raw);
        if (rc != SqliteNative.Ok)
        {
            handle.Dispose();
            throw new SqliteException(Path, $"prepare {Describe(sql)}", rc, LastError(rc));
        }
        return new SqliteStatement(this, handle, sql);
    }

    /// <summary>The last error of this connection, in SQLite's words.</summary>
    internal string LastError(int rc) => SqliteNative.FromUtf8(SqliteNative.sqlite3_errmsg(_db)) ?? ErrorString(rc);

    /// <summary>The SQL shortened to its first words for messages, e.g. <c>'INSERT INTO dead_letters ...'</c>.</summary>
    internal static string Describe(string sql)
    {
        var trimmed = sql.Trim().ReplaceLineEndings(" ");
        return trimmed.Length <= 60 ? $"'{trimmed}'" : $"'{trimmed[..60]}...'";
    }

    public void Dispose()
    {
        ClearStatementCache();
        _db.Dispose();
    }

    private void ClearStatementCache()
    {
        foreach (var statement in _statements.Values) statement.Dispose();
        _statements.Clear();
    }

    private static string ErrorString(int rc) => SqliteNative.FromUtf8(SqliteNative.sqlite3_errstr(rc)) ?? $"error {rc}";

    private static byte[] NulTerminatedUtf8(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
