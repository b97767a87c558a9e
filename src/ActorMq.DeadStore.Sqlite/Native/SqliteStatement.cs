using System.Buffers;
using System.Text;

namespace ActorMq.DeadStore.Sqlite.Native;

/// <summary>
/// A prepared statement: bind named parameters, then <see cref="Step"/> through the rows. After use
/// call <see cref="Reset"/> (the cached statements of a connection are reused).
/// </summary>
internal sealed unsafe class SqliteStatement : IDisposable
{
    /// <summary>A non-null pointer target for empty text: a NULL pointer would bind SQL NULL instead of ''.</summary>
    private static readonly byte[] EmptyText = [0];

    private readonly SqliteConnection _connection;
    private readonly SqliteStatementHandle _handle;
    private readonly Dictionary<string, int> _parameterIndexes = new(StringComparer.Ordinal);

    internal SqliteStatement(SqliteConnection connection, SqliteStatementHandle handle, string sql)
    {
        _connection = connection;
        _handle = handle;
        Sql = sql;
    }

    public string Sql { get; }

    public int ColumnCount => SqliteNative.sqlite3_column_count(_handle);

    /// <summary>Binds a value to the parameter <paramref name="name"/> (e.g. <c>@p0</c>).</summary>
    /// <remarks>
    /// Supported: <see langword="null"/>, <see cref="string"/>, <see cref="byte"/>[], <see cref="long"/>,
    /// <see cref="int"/>, <see cref="bool"/>, <see cref="double"/>.
    /// </remarks>
    public void Bind(string name, object? value)
    {
        if (!_parameterIndexes.TryGetValue(name, out var index))
        {
            index = SqliteNative.sqlite3_bind_parameter_index(_handle, name);
            _parameterIndexes[name] = index;
        }
        if (index == 0) throw new ArgumentException($"the statement {SqliteConnection.Describe(Sql)} has no parameter '{name}'", nameof(name));
        var rc = value switch
        {
            null => SqliteNative.sqlite3_bind_null(_handle, index),
            string text => BindText(index, text),
            byte[] blob => BindBlob(index, blob),
            long integer => SqliteNative.sqlite3_bind_int64(_handle, index, integer),
            int integer => SqliteNative.sqlite3_bind_int64(_handle, index, integer),
            bool flag => SqliteNative.sqlite3_bind_int64(_handle, index, flag ? 1 : 0),
            double real => SqliteNative.sqlite3_bind_double(_handle, index, real),
            _ => throw new ArgumentException($"cannot bind a {value.GetType().FullName} to '{name}'", nameof(value)),
        };
        Check(rc, $"bind {name} of");
    }

    /// <summary>Advances to the next row: true when there is one, false when the statement is done.</summary>
    public bool Step()
    {
        var rc = SqliteNative.sqlite3_step(_handle);
        if (rc == SqliteNative.Row) return true;
        if (rc == SqliteNative.Done) return false;
        var message = _connection.LastError(rc);
        SqliteNative.sqlite3_reset(_handle);
        throw new SqliteException(_connection.Path, SqliteConnection.Describe(Sql), rc, message);
    }

    /// <summary>Steps through every row (for statements that return none, or whose rows are not needed).</summary>
    public void Run()
    {
        while (Step()) { }
    }

    /// <summary>Makes the statement ready to bind and run again.</summary>
    public void Reset()
    {
        SqliteNative.sqlite3_reset(_handle);
        SqliteNative.sqlite3_clear_bindings(_handle);
    }

    public bool IsNull(int column) => SqliteNative.sqlite3_column_type(_handle, column) == SqliteNative.TypeNull;

    public long GetInt64(int column) => SqliteNative.sqlite3_column_int64(_handle, column);

    public double GetDouble(int column) => SqliteNative.sqlite3_column_double(_handle, column);

    public string GetString(int column)
    {
        var text = SqliteNative.sqlite3_column_text(_handle, column);
        if (text is null) return "";
        var length = SqliteNative.sqlite3_column_bytes(_handle, column);
        return Encoding.UTF8.GetString(text, length);
    }

    public byte[] GetBytes(int column)
    {
        var blob = SqliteNative.sqlite3_column_blob(_handle, column);
        var length = SqliteNative.sqlite3_column_bytes(_handle, column);
        if (blob is null || length == 0) return [];
        return new ReadOnlySpan<byte>(blob, length).ToArray();
    }

    public void Dispose() => _handle.Dispose();

    private int BindText(int index, string text)
    {
        if (text.Length == 0)
        {
            fixed (byte* empty = EmptyText) return SqliteNative.sqlite3_bind_text(_handle, index, empty, 0, SqliteNative.Transient);
        }
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            fixed (byte* utf8 = buffer) return SqliteNative.sqlite3_bind_text(_handle, index, utf8, length, SqliteNative.Transient);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private int BindBlob(int index, byte[] blob)
    {
        if (blob.Length == 0) return SqliteNative.sqlite3_bind_zeroblob(_handle, index, 0);
        fixed (byte* data = blob)
            return SqliteNative.sqlite3_bind_blob(_handle, index, data, blob.Length, SqliteNative.Transient);
    }

    private void Check(int rc, string operation)
    {
        if (rc != SqliteNative.Ok)
            throw new SqliteException(_connection.Path, $"{operation} {SqliteConnection.Describe(Sql)}", rc, _connection.LastError(rc));
    }
}
