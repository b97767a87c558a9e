using System.Reflection;
using System.Runtime.InteropServices;

namespace ActorMq.DeadStore.Sqlite.Native;

/// <summary>
/// The few entry points of the system SQLite library (<c>libsqlite3.so.0</c> on Debian, package
/// <c>libsqlite3-0</c>) the store needs. Microsoft.Data.Sqlite cannot be used here: its native
/// bundle (SQLitePCLRaw 2.1+) is not in the package registry these machines reach.
/// </summary>
internal static unsafe partial class SqliteNative
{
    private const string Library = "sqlite3";

    public const int Ok = 0;
    public const int Busy = 5;
    public const int Locked = 6;
    public const int Row = 100;
    public const int Done = 101;

    public const int OpenReadOnly = 0x00000001;
    public const int OpenReadWrite = 0x00000002;
    public const int OpenCreate = 0x00000004;
    public const int OpenFullMutex = 0x00010000;

    public const int TypeNull = 5;

    /// <summary>SQLite copies bound text and blobs before the bind call returns (SQLITE_TRANSIENT).</summary>
    public static readonly nint Transient = -1;

    private static readonly string[] Candidates = ["libsqlite3.so.0", "libsqlite3.so", "libsqlite3.0.dylib", "libsqlite3.dylib", "sqlite3.dll", "winsqlite3.dll"];

    static SqliteNative() => NativeLibrary.SetDllImportResolver(typeof(SqliteNative).Assembly, Resolve);

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library) return 0;
        foreach (var candidate in Candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle)) return handle;
        }
        throw new DllNotFoundException(
            $"the SQLite library was not found (tried {string.Join(", ", Candidates)}); on Debian or Ubuntu install it with 'apt-get install libsqlite3-0'");
    }

    [LibraryImport(Library, EntryPoint = "sqlite3_libversion")]
    public static partial byte* sqlite3_libversion();

    [LibraryImport(Library, EntryPoint = "sqlite3_open_v2", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sqlite3_open_v2(string filename, out nint db, int flags, nint vfs);

    [LibraryImport(Library, EntryPoint = "sqlite3_close_v2")]
    public static partial int sqlite3_close_v2(nint db);

    [LibraryImport(Library, EntryPoint = "sqlite3_extended_result_codes")]
    public static partial int sqlite3_extended_result_codes(SqliteDatabaseHandle db, int onoff);

    [LibraryImport(Library, EntryPoint = "sqlite3_busy_timeout")]
    public static partial int sqlite3_busy_timeout(SqliteDatabaseHandle db, int milliseconds);

    [LibraryImport(Library, EntryPoint = "sqlite3_errmsg")]
    public static partial byte* sqlite3_errmsg(SqliteDatabaseHandle db);

    [LibraryImport(Library, EntryPoint = "sqlite3_errstr")]
    public static partial byte* sqlite3_errstr(int code);

    [LibraryImport(Library, EntryPoint = "sqlite3_exec")]
    public static partial int sqlite3_exec(SqliteDatabaseHandle db, byte* sql, nint callback, nint argument, out nint errmsg);

    [LibraryImport(Library, EntryPoint = "sqlite3_free")]
    public static partial void sqlite3_free(nint pointer);

    [LibraryImport(Library, EntryPoint = "sqlite3_prepare_v2")]
    public static partial int sqlite3_prepare_v2(SqliteDatabaseHandle db, byte* sql, int byteCount, out nint statement, out nint tail);

    [LibraryImport(Library, EntryPoint = "sqlite3_finalize")]
    public static partial int sqlite3_finalize(nint statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_reset")]
    public static partial int sqlite3_reset(SqliteStatementHandle statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_clear_bindings")]
    public static partial int sqlite3_clear_bindings(SqliteStatementHandle statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    public static partial int sqlite3_step(SqliteStatementHandle statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_parameter_index", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sqlite3_bind_parameter_index(SqliteStatementHandle statement, string name);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_null")]
    public static partial int sqlite3_bind_null(SqliteStatementHandle statement, int index);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64")]
    public static partial int sqlite3_bind_int64(SqliteStatementHandle statement, int index, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_double")]
    public static partial int sqlite3_bind_double(SqliteStatementHandle statement, int index, double value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text")]
    public static partial int sqlite3_bind_text(SqliteStatementHandle statement, int index, byte* utf8, int byteCount, nint destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_blob")]
    public static partial int sqlite3_bind_blob(SqliteStatementHandle statement, int index, byte* data, int byteCount, nint destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_zeroblob")]
    public static partial int sqlite3_bind_zeroblob(SqliteStatementHandle statement, int index, int byteCount);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_count")]
    public static partial int sqlite3_column_count(SqliteStatementHandle statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_type")]
    public static partial int sqlite3_column_type(SqliteStatementHandle statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int64")]
    public static partial long sqlite3_column_int64(SqliteStatementHandle statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_double")]
    public static partial double sqlite3_column_double(SqliteStatementHandle statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_text")]
    public static partial byte* sqlite3_column_text(SqliteStatementHandle statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_blob")]
    public static partial byte* sqlite3_column_blob(SqliteStatementHandle statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes")]
    public static partial int sqlite3_column_bytes(SqliteStatementHandle statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_changes")]
    public static partial int sqlite3_changes(SqliteDatabaseHandle db);

    [LibraryImport(Library, EntryPoint = "sqlite3_last_insert_rowid")]
    public static partial long sqlite3_last_insert_rowid(SqliteDatabaseHandle db);

    [LibraryImport(Library, EntryPoint = "sqlite3_get_autocommit")]
    public static partial int sqlite3_get_autocommit(SqliteDatabaseHandle db);

    /// <summary>A NUL-terminated UTF-8 string from SQLite, or <see langword="null"/>.</summary>
    public static string? FromUtf8(byte* text) => text is null ? null : Marshal.PtrToStringUTF8((nint)text);
}

/// <summary>An open <c>sqlite3*</c>; closing it is <c>sqlite3_close_v2</c>, which defers until its statements are finalized.</summary>
internal sealed class SqliteDatabaseHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    public static SqliteDatabaseHandle Adopt(nint db)
    {
        var safe = new SqliteDatabaseHandle();
        safe.SetHandle(db);
        return safe;
    }

    protected override bool ReleaseHandle() => SqliteNative.sqlite3_close_v2(handle) == SqliteNative.Ok;
}

/// <summary>A prepared <c>sqlite3_stmt*</c>; releasing it is <c>sqlite3_finalize</c>.</summary>
internal sealed class SqliteStatementHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    public static SqliteStatementHandle Adopt(nint statement)
    {
        var safe = new SqliteStatementHandle();
        safe.SetHandle(statement);
        return safe;
    }

    protected override bool ReleaseHandle()
    {
        SqliteNative.sqlite3_finalize(handle);
        return true;
    }
}
