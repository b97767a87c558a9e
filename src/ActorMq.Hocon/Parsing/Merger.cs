using ActorMq.Hocon.Resolution;

namespace ActorMq.Hocon.Parsing;

/// <summary>
/// Merging of two values for the same path (duplicate keys, includes, <see cref="Config.WithFallback"/>):
/// objects merge field by field, any other value hides what it overrides, and anything that
/// can only be decided after resolution becomes a <see cref="DelayedMerge"/>.
/// </summary>
internal static class Merger
{
    /// <summary>
    /// Merges <paramref name="high"/> over <paramref name="low"/>. With <paramref name="inPlace"/> the
    /// parser may modify <paramref name="low"/> when both are objects it built itself.
    /// </summary>
    public static ConfigValue Merge(ConfigValue high, ConfigValue low, bool inPlace, int depth = 0)
    {
        if (depth > Limits.MaxDepth) throw new ConfigException($"{high.Origin}: objects nested too deeply to merge (more than {Limits.MaxDepth} levels)");
        if (high is ConfigObject highObject)
        {
            if (low is ConfigObject lowObject) return MergeObjects(highObject, lowObject, inPlace, depth);
            if (low is UnresolvedValue) return Stack(high, low);
            return high;
        }
        if (high is UnresolvedValue) return Stack(high, low);
        return high;
    }

    /// <summary>Merges two objects: fields of <paramref name="high"/> win, objects merge recursively.</summary>
    public static ConfigObject MergeObjects(ConfigObject high, ConfigObject low, bool inPlace, int depth = 0)
    {
        if (low.Count == 0 && !inPlace) return high;
        if (high.Count == 0) return low;
        var target = inPlace ? low : Copy(low, high);
        foreach (var (key, value) in high)
        {
            target.Set(key, target.TryGetValue(key, out var existing) ? Merge(value, existing, inPlace, depth + 1) : value);
        }
        return target;
    }

    private static ConfigObject Copy(ConfigObject low, ConfigObject high)
    {
        var copy = new ConfigObject(high.Source, high.Line, low.Count + high.Count);
        foreach (var (key, value) in low) copy.Set(key, value);
        return copy;
    }

    private static DelayedMerge Stack(ConfigValue high, ConfigValue low)
    {
        var stack = new List<ConfigValue>();
        if (high is DelayedMerge highStack) stack.AddRange(highStack.Stack); else stack.Add(high);
        if (low is DelayedMerge lowStack) stack.AddRange(lowStack.Stack); else stack.Add(low);
        return new DelayedMerge(stack);
    }
}

/// <summary>Limits that turn hostile input into a clear error instead of a stack overflow.</summary>
internal static class Limits
{
    /// <summary>Maximum nesting of objects and arrays in one text.</summary>
    public const int MaxParseDepth = 256;

    /// <summary>Maximum depth of merges and of nested resolution (substitution chains included).</summary>
    public const int MaxDepth = 1024;

    /// <summary>Maximum depth of nested includes.</summary>
    public const int MaxIncludeDepth = 50;

    /// <summary>Maximum characters plus list/object elements built by concatenations during one resolution.</summary>
    public const long MaxProduced = 16L * 1024 * 1024;

    /// <summary>Maximum length of rendered text (shared subtrees can make a small tree render huge).</summary>
    public const int MaxRenderedChars = 32 * 1024 * 1024;
}
