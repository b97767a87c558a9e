namespace ActorMq.Hocon;

/// <summary>Where a value was defined: a file (or resource, or string description) and a 1-based line.</summary>
/// <param name="Description">The file path, resource name or description given to the parser.</param>
/// <param name="Line">The 1-based line number, or 0 when unknown (e.g. values built in code).</param>
public sealed record ConfigOrigin(string Description, int Line)
{
    /// <summary>An origin for values that do not come from any text.</summary>
    public static ConfigOrigin None { get; } = new("(no origin)", 0);

    /// <summary>Renders <c>description:line</c>, or only the description when the line is unknown.</summary>
    public override string ToString() => Line > 0 ? $"{Description}:{Line}" : Description;
}
