using System.Runtime.CompilerServices;
using System.Text;
using ActorMq.Hocon.Parsing;

namespace ActorMq.Hocon.Resolution;

/// <summary>
/// Resolves substitutions over a whole tree. Lookups always see the final value of a path, except
/// while a possibly self-referential value at path P is resolved: then P (and everything under it)
/// reads as the values P overrides (HOCON.md "Self-Referential Substitutions": the field and the
/// fields that override it are removed from the lookup document). Cycles that cannot be broken
/// that way are reported; optional substitutions treat them as missing.
/// </summary>
internal sealed class Resolver
{
    private const char Separator = '\0';

    private readonly ConfigObject root;
    private readonly ConfigResolveOptions options;
    private readonly Dictionary<string, ConfigValue?> memo = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Frame> inProgress = new(StringComparer.Ordinal);
    private int depth;

    private Resolver(ConfigObject root, ConfigResolveOptions options)
    {
        this.root = root;
        this.options = options;
    }

    /// <summary>
    /// A field being resolved. While a substitution or concatenation at that path is resolved, a lookup
    /// that comes back to the path "looks backward" at the values below it in its merge stack
    /// (<see cref="Below"/> onwards; none left = missing). Objects cannot look backward: a cycle through one is an error.
    /// </summary>
    private sealed class Frame(List<ConfigValue>? stack)
    {
        public List<ConfigValue>? Stack { get; } = stack;

        public int Below { get; set; }

        public bool CanLookBack { get; set; }
    }

    public static ConfigObject Resolve(ConfigObject root, ConfigResolveOptions options)
    {
        if (!root.NeedsResolve) return root;
        var resolver = new Resolver(root, options);
        return (ConfigObject)resolver.ResolveObject(root, "");
    }

    private ConfigValue? Resolve(ConfigValue value, string? at)
    {
        if (!value.NeedsResolve) return value;
        if (++depth > Limits.MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new ConfigException($"{value.Origin}: substitutions or objects nested too deeply to resolve (more than {Limits.MaxDepth} levels)");
        try
        {
            return value switch
            {
                ConfigObject o => ResolveObject(o, at),
                ConfigList l => ResolveList(l),
                Substitution s => ResolveSubstitution(s),
                Concatenation c => ResolveConcatenation(c),
                DelayedMerge d => ResolveStack(d.Stack, 0, new Frame(d.Stack)),
                _ => value,
            };
        }
        finally
        {
            depth--;
        }
    }

    private ConfigValue ResolveObject(ConfigObject obj, string? at)
    {
        var result = new ConfigObject(obj.Source, obj.Line, obj.Count);
        foreach (var (key, value) in obj)
        {
            var resolved = !value.NeedsResolve ? value
                : at is null ? Resolve(value, null)
                : ResolveField(at + Separator + key, value);
            if (resolved is not null) result.Set(key, resolved);
        }
        return result;
    }

    private ConfigList ResolveList(ConfigList list)
    {
        var items = new List<ConfigValue>(list.Count);
        foreach (var item in list.Items)
        {
            var resolved = Resolve(item, null);
            if (resolved is not null) items.Add(resolved);
        }
        return new ConfigList(items, list.Source, list.Line);
    }

    /// <summary>Resolves the value of the field at <paramref name="key"/>: memoised, looking backward on self-reference.</summary>
    private ConfigValue? ResolveField(string key, ConfigValue value)
    {
        if (memo.TryGetValue(key, out var known)) return known;
        if (inProgress.TryGetValue(key, out var active)) return LookBack(key, active, value);
        var frame = value is DelayedMerge d ? new Frame(d.Stack) : new Frame(null) { CanLookBack = value is Substitution or Concatenation };
        inProgress[key] = frame;
        ConfigValue? result;
        try
        {
            result = value is DelayedMerge merge ? ResolveStack(merge.Stack, 0, frame) : Resolve(value, key);
        }
        finally
        {
            inProgress.Remove(key);
        }
        memo[key] = result;
        return result;
    }

    /// <summary>A lookup came back to a field being resolved: use what that field's current value overrides.</summary>
    private ConfigValue? LookBack(string key, Frame frame, ConfigValue value)
    {
        if (!frame.CanLookBack)
            throw new ConfigCycleException($"{value.Origin}: substitution cycle through '{Render(key)}' (a field cannot refer to the object or list that contains it)");
        if (frame.Stack is null || frame.Below >= frame.Stack.Count) return null;
        var deeper = new Frame(frame.Stack);
        inProgress[key] = deeper;
        try
        {
            return ResolveStack(frame.Stack, frame.Below, deeper);
        }
        finally
        {
            inProgress[key] = frame;
        }
    }

    /// <summary>Resolves a merge stack from <paramref name="index"/>: a non-object hides what is below it, objects merge.</summary>
    private ConfigValue? ResolveStack(List<ConfigValue> stack, int index, Frame frame)
    {
        if (index >= stack.Count) return null;
        var element = stack[index];
        frame.Below = index + 1;
        frame.CanLookBack = element is not ConfigObject;
        var top = Resolve(element, null);
        frame.CanLookBack = false;
        if (top is null) return ResolveStack(stack, index + 1, frame);
        if (top is not ConfigObject topObject) return top;
        return ResolveStack(stack, index + 1, frame) is ConfigObject lower
            ? Merger.MergeObjects(topObject, lower, inPlace: false)
            : topObject;
    }

    private ConfigValue? ResolveSubstitution(Substitution substitution)
    {
        ConfigValue? found;
        try
        {
            found = Lookup(substitution);
        }
        catch (ConfigCycleException) when (substitution.Optional)
        {
            found = null;
        }
        if (found is not null) return found;
        if (options.UseEnvironment)
        {
            var name = string.Join('.', substitution.Path);
            var env = Environment.GetEnvironmentVariable(name);
            if (env is not null) return new ConfigPrimitive(ConfigValueType.String, env, new OriginSource($"env variable {name}", null), 0);
        }
        if (substitution.Optional) return null;
        if (options.AllowUnresolved) return substitution;
        throw new ConfigUnresolvedSubstitutionException(substitution.Expression, substitution.Origin,
            options.UseEnvironment ? "no such path in the configuration and no such environment variable" : "no such path in the configuration");
    }

    private ConfigValue? Lookup(Substitution substitution)
    {
        if (substitution.Prefix is { } prefix)
        {
            var relative = LookupPath(ConfigPath.Concat(prefix, substitution.Path));
            if (relative is not null) return relative;
        }
        return LookupPath(substitution.Path);
    }

    private ConfigValue? LookupPath(string[] path)
    {
        ConfigValue node = root;
        var key = "";
        foreach (var segment in path)
        {
            if (node is UnresolvedValue)
            {
                var resolved = ResolveField(key, node);
                if (resolved is null) return null;
                node = resolved;
            }
            if (node is not ConfigObject obj || !obj.TryGetValue(segment, out var child)) return null;
            key = key + Separator + segment;
            node = child;
        }
        return node.NeedsResolve ? ResolveField(key, node) : node;
    }

    private ConfigValue? ResolveConcatenation(Concatenation concatenation)
    {
        var parts = new List<ConfigValue>(concatenation.Pieces.Count);
        foreach (var piece in concatenation.Pieces)
        {
            if (piece is ConcatWhitespace)
            {
                parts.Add(piece);
                continue;
            }
            var resolved = Resolve(piece, null);
            if (resolved is null) continue;
            if (resolved is UnresolvedValue) return concatenation; // AllowUnresolved left a substitution in place
            parts.Add(resolved);
        }
        if (parts.Count == 0) return null;
        if (parts.Count == 1) return parts[0] is ConcatWhitespace only ? new ConfigPrimitive(ConfigValueType.String, only.Text, concatenation.Source, concatenation.Line) : parts[0];
        ConfigValue? first = null;
        foreach (var part in parts)
        {
            if (part is ConcatWhitespace) continue;
            first ??= part;
            if (part is ConfigObject or ConfigList || first is ConfigObject or ConfigList)
                return JoinStructures(parts, concatenation);
        }
        var text = new StringBuilder();
        foreach (var part in parts)
            text.Append(part is ConcatWhitespace ws ? ws.Text : ((ConfigPrimitive)part).Text);
        return new ConfigPrimitive(ConfigValueType.String, text.ToString(), concatenation.Source, concatenation.Line);
    }

    private static ConfigValue JoinStructures(List<ConfigValue> parts, Concatenation concatenation)
    {
        ConfigValue? result = null;
        foreach (var part in parts)
        {
            if (part is ConcatWhitespace) continue;
            result = (result, part) switch
            {
                (null, _) => part,
                (ConfigObject low, ConfigObject high) => Merger.MergeObjects(high, low, inPlace: false),
                (ConfigList a, ConfigList b) => new ConfigList([.. a.Items, .. b.Items], a.Source, a.Line),
                _ => throw new ConfigException(
                    $"{concatenation.Origin}: cannot concatenate {Describe(result)} with {Describe(part)} (only strings with strings, lists with lists, objects with objects)"),
            };
        }
        return result!;
    }

    private static string Describe(ConfigValue value) => value switch
    {
        ConfigObject => "an object",
        ConfigList => "a list",
        ConfigPrimitive p => $"{p.ValueType.ToString().ToLowerInvariant()} '{p.Text}'",
        _ => "a value",
    };

    private static string Render(string key) => ConfigPath.Render(key.Split(Separator, StringSplitOptions.None)[1..]);
}
