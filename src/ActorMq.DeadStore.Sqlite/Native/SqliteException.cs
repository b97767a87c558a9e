namespace ActorMq.DeadStore.Sqlite.Native;

/// <summary>
/// A SQLite call failed. The message names the database file, the SQL operation, SQLite's own
/// message and the result code (e.g. <c>SQLITE_BUSY</c>).
/// </summary>
internal sealed class SqliteException(string path, string operation, int resultCode, string sqliteMessage)
    : Exception($"{operation} on '{path}': {sqliteMessage} ({CodeName(resultCode)}, code {resultCode})")
{
    public string Path { get; } = path;

    /// <summary>The extended result code; <see cref="PrimaryCode"/> is its low byte.</summary>
    public int ResultCode { get; } = resultCode;

    public int PrimaryCode => ResultCode & 0xFF;

    /// <summary>The name of a primary result code, e.g. <c>SQLITE_BUSY</c>.</summary>
    public static string CodeName(int resultCode) => (resultCode & 0xFF) switch
    {
        1 => "SQLITE_ERROR",
        2 => "SQLITE_INTERNAL",
        3 => "SQLITE_PERM",
        4 => "SQLITE_ABORT",
        5 => "SQLITE_BUSY",
        6 => "SQLITE_LOCKED",
        7 => "SQLITE_NOMEM",
        8 => "SQLITE_READONLY",
        9 => "SQLITE_INTERRUPT",
        10 => "SQLITE_IOERR",
        11 => "SQLITE_CORRUPT",
        13 => "SQLITE_FULL",
        14 => "SQLITE_CANTOPEN",
        15 => "SQLITE_PROTOCOL",
        17 => "SQLITE_SCHEMA",
        18 => "SQLITE_TOOBIG",
        19 => "SQLITE_CONSTRAINT",
        20 => "SQLITE_MISMATCH",
        21 => "SQLITE_MISUSE",
        23 => "SQLITE_AUTH",
        25 => "SQLITE_RANGE",
        26 => "SQLITE_NOTADB",
        _ => "SQLITE_ERROR",
    };
}
