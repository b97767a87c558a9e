using ActorMq.Hocon.Parsing;

namespace ActorMq.Hocon.Resolution;

/// <summary>Base of the values that exist only before resolution; never handed out by the public API.</summary>
internal abstract class UnresolvedValue(OriginSource? source, int line) : ConfigValue(source, line)
{
    public override ConfigValueType ValueType =>
        throw new ConfigNotResolvedException($"{Origin}: value is not resolved yet; call Config.Resolve()");

    internal override bool NeedsResolve => true;
}

/// <summary><c>${path}</c> or <c>${?path}</c>; <see cref="Prefix"/> is the include point for substitutions in included files.</summary>
internal sealed class Substitution(string[] path, bool optional, string[]? prefix, OriginSource? source, int line)
    : UnresolvedValue(source, line)
{
    public string[] Path { get; } = path;

    public bool Optional { get; } = optional;

    public string[]? Prefix { get; } = prefix;

    public string Expression => (Optional ? "${?" : "${") + ConfigPath.Render(Path) + "}";
}

/// <summary>Whitespace between two pieces of a value concatenation; part of a string result only.</summary>
internal sealed class ConcatWhitespace(string text) : UnresolvedValue(null, 0)
{
    public string Text { get; } = text;

    internal override bool NeedsResolve => false;
}

/// <summary>A value concatenation that contains at least one substitution, object or list.</summary>
internal sealed class Concatenation(List<ConfigValue> pieces, OriginSource? source, int line) : UnresolvedValue(source, line)
{
    public List<ConfigValue> Pieces { get; } = pieces;
}

/// <summary>
/// Values for the same path that can only be merged after resolution (an object over a substitution,
/// or a possibly self-referential value over an earlier one). Highest priority first; never nested.
/// </summary>
internal sealed class DelayedMerge(List<ConfigValue> stack) : UnresolvedValue(stack[0].Source, stack[0].Line)
{
    public List<ConfigValue> Stack { get; } = stack;
}

/// <summary>Field <see cref="Key"/> of an unresolved value in a merge stack (used while the stack resolves).</summary>
internal sealed class Projection(UnresolvedValue source, string key) : UnresolvedValue(source.Source, source.Line)
{
    public new UnresolvedValue Source { get; } = source;

    public string Key { get; } = key;
}
