namespace ActorMq.DeadStore.Sql;

/// <summary>A statement with named parameters (<c>@name</c>) and their values, ready to be bound by a provider.</summary>
/// <remarks>
/// Values are <see cref="string"/>, <see cref="long"/>, <see cref="int"/>, <see cref="byte"/>[],
/// <see cref="DateTimeOffset"/> or <see langword="null"/>; each provider binds a
/// <see cref="DateTimeOffset"/> in its own column format.
/// </remarks>
internal sealed class SqlCommandText(string text, IReadOnlyList<KeyValuePair<string, object?>> parameters)
{
    public string Text { get; } = text;

    public IReadOnlyList<KeyValuePair<string, object?>> Parameters { get; } = parameters;

    public override string ToString() => Text;
}

/// <summary>Collects parameters while a statement is built, naming them <c>@p0</c>, <c>@p1</c>, ...</summary>
internal sealed class SqlParameters
{
    private readonly List<KeyValuePair<string, object?>> _values = [];

    public IReadOnlyList<KeyValuePair<string, object?>> Values => _values;

    /// <summary>Adds a value and returns its placeholder.</summary>
    public string Add(object? value)
    {
        var name = $"@p{_values.Count}";
        _values.Add(new(name, value));
        return name;
    }

    public SqlCommandText Command(string text) => new(text, _values.ToArray());
}
