using ActorMq.DeadStore.Sql;
using Microsoft.Data.Sqlite;

namespace ActorMq.DeadStore.Sqlite;

/// <summary>
/// The store's one connection to its file: WAL mode, the busy timeout, the synchronous level; commands
/// kept per SQL text, so each statement is prepared once and reused (Microsoft.Data.Sqlite keeps a
/// command's prepared statements until its text changes). Not thread-safe: the store serializes calls.
/// </summary>
internal sealed class StoreConnection : IDisposable
{
    private const int MaxCachedCommands = 64;
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;

    private StoreConnection(SqliteConnection connection) => _connection = connection;

    /// <summary>True inside <see cref="Begin"/> ... <see cref="Commit"/>.</summary>
    public bool InTransaction => _transaction is not null;

    /// <summary>The SQL of the last command handed out, for error messages.</summary>
    public string LastCommandText { get; private set; } = "open";

    /// <summary>Opens (creating when missing) the file, in WAL mode with the settings' busy timeout and synchronous level.</summary>
    public static StoreConnection Open(string path, SqliteStoreSettings settings)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // One long-lived connection per store; a pooled one would keep a broken file open after Dispose.
            Pooling = false,
            // Microsoft.Data.Sqlite retries a busy statement itself until this many seconds have passed;
            // SQLite's own busy handler (below) waits the exact milliseconds first.
            DefaultTimeout = (int)Math.Max(1, Math.Ceiling(settings.BusyTimeout.TotalSeconds)),
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            var store = new StoreConnection(connection);
            var synchronous = settings.Synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL";
            var busyMilliseconds = (long)Math.Clamp(settings.BusyTimeout.TotalMilliseconds, 0, int.MaxValue);
            store.Execute($"PRAGMA busy_timeout = {busyMilliseconds}; PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous};");
            return store;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs one or more statements that take no parameters and return no rows.</summary>
    public void Execute(string sql) => Command(sql).ExecuteNonQuery();

    /// <summary>The command for <paramref name="text"/> with its parameters bound, in the current transaction.</summary>
    public SqliteCommand Command(SqlCommandText text)
    {
        var command = Command(text.Text, clearParameters: false);
        var parameters = command.Parameters;
        // One SQL text always has the same parameters (@p0, @p1, ... in order): a cached command keeps its parameter
        // objects and only their values change (a mark of 512 ids would otherwise allocate 512 new ones each time).
        if (parameters.Count != text.Parameters.Count)
        {
            parameters.Clear();
            foreach (var (name, value) in text.Parameters) parameters.AddWithValue(name, Value(value));
        }
        else
        {
            for (var i = 0; i < parameters.Count; i++) parameters[i].Value = Value(text.Parameters[i].Value);
        }
        return command;
    }

    private static object Value(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset instant => SqliteDeadLetterStore.FormatTimestamp(instant),
        _ => value,
    };

    /// <summary>The cached command for <paramref name="sql"/> (no parameters), in the current transaction.</summary>
    public SqliteCommand Command(string sql) => Command(sql, clearParameters: true);

    private SqliteCommand Command(string sql, bool clearParameters)
    {
        LastCommandText = sql;
        if (!_commands.TryGetValue(sql, out var command))
        {
            if (_commands.Count >= MaxCachedCommands) ClearCommands();
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }
        if (clearParameters) command.Parameters.Clear();
        command.Transaction = _transaction;
        return command;
    }

    /// <summary><c>BEGIN IMMEDIATE</c> (a writer: other writers wait for the busy timeout) or <c>BEGIN DEFERRED</c> (a reader).</summary>
    public void Begin(bool immediate)
    {
        LastCommandText = immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED";
        _transaction = _connection.BeginTransaction(deferred: !immediate);
    }

    public void Commit()
    {
        LastCommandText = "COMMIT";
        _transaction!.Commit();
        _transaction.Dispose();
        _transaction = null;
    }

    /// <summary>Best effort: when the rollback itself fails, <see cref="InTransaction"/> stays true and the store drops the connection.</summary>
    public void RollBack()
    {
        if (_transaction is null) return;
        try
        {
            _transaction.Rollback();
            _transaction.Dispose();
            _transaction = null;
        }
        catch (SqliteException)
        {
            // The failure that led here is the one reported.
        }
    }

    public void Dispose()
    {
        ClearCommands();
        _transaction = null;
        _connection.Dispose();
    }

    private void ClearCommands()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _commands.Clear();
    }
}
