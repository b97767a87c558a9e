using Microsoft.Data.Sqlite;

namespace ActorMq.DeadStore.Sqlite;

/// <summary>A SQLite failure in words: the file, the SQL, SQLite's own message and the result code by name (e.g. <c>SQLITE_BUSY</c>).</summary>
internal static class SqliteErrors
{
    /// <summary>E.g. <c>'INSERT INTO dead_letters ...' on '/var/lib/app/dead.db': database is locked (SQLITE_BUSY, code 5)</c>.</summary>
    public static string Describe(SqliteException e, string path, string sql)
    {
        var message = e.Message;
        // Microsoft.Data.Sqlite words it "SQLite Error 5: 'database is locked'."; keep SQLite's own words.
        var quote = message.IndexOf('\'');
        if (message.StartsWith("SQLite Error", StringComparison.Ordinal) && quote > 0 && message.EndsWith("'.", StringComparison.Ordinal))
            message = message[(quote + 1)..^2];
        return $"{Describe(sql)} on '{path}': {message} ({CodeName(e.SqliteErrorCode)}, code {e.SqliteExtendedErrorCode})";
    }

    /// <summary>The SQL shortened to its first words for messages, e.g. <c>'INSERT INTO dead_letters ...'</c>.</summary>
    public static string Describe(string sql)
    {
        var trimmed = sql.Trim().ReplaceLineEndings(" ");
        return trimmed.Length <= 60 ? $"'{trimmed}'" : $"'{trimmed[..60]}...'";
    }

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
