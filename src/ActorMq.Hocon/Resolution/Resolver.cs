using System.Runtime.CompilerServices;
using System.Text;
using ActorMq.Hocon.Parsing;

namespace ActorMq.Hocon.Resolution;

/// <summary>
/// Resolves substitutions over a whole tree in one top-down pass; lookups resolve what they reach on demand
/// and are memoised by node. Substitutions look forward (the final value of their path); when a lookup comes
/// back to a field still being resolved (a self-reference, directly or through other fields) it looks backward
/// at the values that field overrides (HOCON.md "Self-Referential Substitutions"), or reads as missing when
/// there are none. Objects and lists cannot be looked through backward: such a cycle is an error (optional
/// substitutions treat it as missing). Children of an object in a pending merge can be read while the merge
/// resolves, and see the same key in the merged values below them.
/// </summary>
internal sealed class Resolver
{
    private readonly ConfigObject root;
    private readonly ConfigResolveOptions options;
    // Keyed by the unresolved value of a field: each value node sits at exactly one path of the tree.
    private readonly Dictionary<ConfigValue, ConfigValue?> memo = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ConfigValue, Frame> inProgress = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<ConfigValue> lookedBack = new(ReferenceEqualityComparer.Instance);
    private readonly List<Substitution> chain = [];
    // Children of an object inside a merge stack while they resolve: (stack node, key) -> the child's own stack node,
    // which is in inProgress like a field's value so that lookups can reach it and look back from it.
    private readonly Dictionary<(ConfigValue, string), DelayedMerge> childStacks = [];
    private readonly StringBuilder textBuilder = new();
    private readonly Stack<List<ConfigValue>> partLists = new();
    private int depth;
    private int partialResults;
    private long produced;

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
    private sealed class Frame(List<ConfigValue>? stack, DelayedMerge? owner = null)
    {
        public List<ConfigValue>? Stack { get; } = stack;

        /// <summary>The merge stack's node when it is a field's value (its children can then be looked up while it resolves).</summary>
        public DelayedMerge? Owner { get; } = owner;

        public int Below { get; set; }

        public bool CanLookBack { get; set; }
    }

    // Shared frames for fields that are not merge stacks (never modified).
    private static readonly Frame NoLookBack = new(null);
    private static readonly Frame LookBackToNothing = new(null) { CanLookBack = true };

    public static ConfigObject Resolve(ConfigObject root, ConfigResolveOptions options)
    {
        if (!root.NeedsResolve) return root;
        var resolver = new Resolver(root, options);
        return resolver.ResolveObject(root, fields: true);
    }

    /// <summary>Resolves a value; <paramref name="field"/> says it is a field's value, reachable by a path.</summary>
    private ConfigValue? Resolve(ConfigValue value, bool field)
    {
        if (!value.NeedsResolve) return value;
        if (++depth > Limits.MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new ConfigException($"{value.Origin}: substitutions or objects nested too deeply to resolve (more than {Limits.MaxDepth} levels)");
        try
        {
            return value switch
            {
                ConfigObject o => ResolveObject(o, field),
                ConfigList l => ResolveList(l),
                Substitution s => ResolveSubstitution(s),
                Concatenation c => ResolveConcatenation(c),
                DelayedMerge d => ResolveStack(d.Stack, 0, new Frame(d.Stack)),
                Projection p => Resolve(p.Source, false) is ConfigObject o && o.TryGetValue(p.Key, out var child) ? child : null,
                _ => value,
            };
        }
        finally
        {
            depth--;
        }
    }

    private ConfigObject ResolveObject(ConfigObject obj, bool fields)
    {
        var result = new ConfigObject(obj.Source, obj.Line, obj.Count);
        foreach (var (key, value) in obj)
        {
            var resolved = !value.NeedsResolve ? value
                : fields ? ResolveField(value, remember: false)
                : Resolve(value, false);
            if (resolved is not null) result.Set(key, resolved);
        }
        return result;
    }

    private ConfigList ResolveList(ConfigList list)
    {
        var items = new List<ConfigValue>(list.Count);
        foreach (var item in list.Items)
        {
            var resolved = Resolve(item, false);
            if (resolved is not null) items.Add(resolved);
        }
        return new ConfigList([.. items], list.Source, list.Line);
    }

    /// <summary>
    /// Resolves the value of a field, looking backward on self-reference. Values found by lookups are
    /// remembered (<paramref name="remember"/>); the single top-down pass does not need to remember what it visits.
    /// </summary>
    private ConfigValue? ResolveField(ConfigValue value, bool remember)
    {
        if (memo.TryGetValue(value, out var known)) return known;
        if (inProgress.TryGetValue(value, out var active)) return LookBack(value, active);
        var frame = value is DelayedMerge d ? new Frame(d.Stack, d) : value is Substitution or Concatenation ? LookBackToNothing : NoLookBack;
        var partialBefore = partialResults;
        inProgress[value] = frame;
        ConfigValue? result;
        try
        {
            result = value is DelayedMerge merge ? ResolveStack(merge.Stack, 0, frame) : Resolve(value, true);
        }
        finally
        {
            inProgress.Remove(value);
        }
        // a value computed while a field still being resolved read as missing is not final: do not keep it
        lookedBack.Remove(value);
        if (remember && lookedBack.Count == 0 && partialResults == partialBefore) memo[value] = result;
        return result;
    }

    /// <summary>A lookup came back to a field being resolved: use what that field's current value overrides.</summary>
    private ConfigValue? LookBack(ConfigValue key, Frame frame)
    {
        if (!frame.CanLookBack)
            throw new ConfigCycleException($"{key.Origin}: substitution cycle {RenderChain()} (a field cannot refer to the object or list that contains it)");
        if (frame.Stack is null || frame.Below >= frame.Stack.Count)
        {
            // nothing below: the field reads as missing for now, which must not stick to the fields read meanwhile
            lookedBack.Add(key);
            return null;
        }
        var deeper = new Frame(frame.Stack, frame.Owner);
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
        ConfigValue? top;
        try
        {
            top = element is ConfigObject obj && frame.Owner is { } owner && obj.NeedsResolve
                ? ResolveObjectInStack(obj, owner, stack, index)
                : Resolve(element, false);
        }
        catch (ConfigCycleException) when (element is not ConfigObject && index + 1 < stack.Count)
        {
            // The substitution leads back into a value under resolution (lightbend's "delayed merge" case):
            // this lookup sees only what is below it. The result is partial, so nothing that used it is remembered.
            top = null;
            partialResults++;
        }
        frame.CanLookBack = false;
        if (top is null) return ResolveStack(stack, index + 1, frame);
        if (top is not ConfigObject topObject) return top;
        return ResolveStack(stack, index + 1, frame) is ConfigObject lower
            ? Merger.MergeObjects(topObject, lower, inPlace: false)
            : topObject;
    }

    /// <summary>
    /// Resolves an object that sits in a merge stack field by field; each field sees, when it looks back at
    /// itself, the same key in the stack elements below (<c>c : ${d}, c { x += 1 }</c> appends to d.x).
    /// </summary>
    private ConfigObject ResolveObjectInStack(ConfigObject obj, DelayedMerge owner, List<ConfigValue> stack, int index)
    {
        var result = new ConfigObject(obj.Source, obj.Line, obj.Count);
        foreach (var (key, value) in obj)
        {
            if (!value.NeedsResolve)
            {
                result.Set(key, value);
                continue;
            }
            var childStack = new List<ConfigValue>();
            AddToStack(childStack, value);
            ProjectBelow(childStack, stack, index + 1, key);
            var childNode = new DelayedMerge(childStack);
            var childFrame = new Frame(childStack, childNode);
            childStacks.TryGetValue((owner, key), out var outer); // a look-back may resolve the same child again, deeper
            childStacks[(owner, key)] = childNode;
            inProgress[childNode] = childFrame;
            ConfigValue? resolved;
            try
            {
                resolved = ResolveStack(childStack, 0, childFrame);
            }
            finally
            {
                if (outer is null) childStacks.Remove((owner, key));
                else childStacks[(owner, key)] = outer;
                inProgress.Remove(childNode);
            }
            if (resolved is not null) result.Set(key, resolved);
        }
        return result;
    }

    private static void AddToStack(List<ConfigValue> stack, ConfigValue value)
    {
        if (value is DelayedMerge d) stack.AddRange(d.Stack);
        else stack.Add(value);
    }

    /// <summary>Adds the values of <paramref name="key"/> in <paramref name="stack"/> from <paramref name="from"/> down.</summary>
    private static void ProjectBelow(List<ConfigValue> into, List<ConfigValue> stack, int from, string key)
    {
        for (var i = from; i < stack.Count; i++)
        {
            switch (stack[i])
            {
                case ConfigObject o:
                    if (o.TryGetValue(key, out var child)) AddToStack(into, child);
                    break;
                case UnresolvedValue unresolved:
                    into.Add(new Projection(unresolved, key));
                    break;
                default:
                    return; // a plain value hides everything below it
            }
        }
    }

    /// <summary>
    /// Looks up one child of a merge stack that is being resolved, without resolving the whole stack: the child's
    /// own stack node when it is resolving right now, otherwise the child resolved from the stack's elements.
    /// </summary>
    private ConfigValue? PeekChild(DelayedMerge merge, string key)
    {
        if (childStacks.TryGetValue((merge, key), out var resolving)) return resolving;
        var childStack = new List<ConfigValue>();
        ProjectBelow(childStack, merge.Stack, 0, key);
        return childStack.Count == 0 ? null : ResolveStack(childStack, 0, new Frame(childStack));
    }

    private ConfigValue? ResolveSubstitution(Substitution substitution)
    {
        ConfigValue? found;
        chain.Add(substitution);
        try
        {
            found = Lookup(substitution);
        }
        catch (ConfigCycleException) when (substitution.Optional)
        {
            found = null;
        }
        finally
        {
            chain.RemoveAt(chain.Count - 1);
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
            var relative = LookupPath(prefix, substitution.Path);
            if (relative is not null) return relative;
        }
        return LookupPath([], substitution.Path);
    }

    /// <summary>Finds the resolved value at <paramref name="prefix"/> + <paramref name="path"/>, or null.</summary>
    private ConfigValue? LookupPath(string[] prefix, string[] path)
    {
        ConfigValue node = root;
        for (var i = 0; i < prefix.Length + path.Length; i++)
        {
            var segment = i < prefix.Length ? prefix[i] : path[i - prefix.Length];
            if (node is DelayedMerge merge && inProgress.TryGetValue(merge, out var active) && !active.CanLookBack)
            {
                var peeked = PeekChild(merge, segment);
                if (peeked is null) return null;
                node = peeked;
                continue;
            }
            if (node is UnresolvedValue)
            {
                var resolved = ResolveField(node, remember: true);
                if (resolved is null) return null;
                node = resolved;
            }
            if (node is not ConfigObject obj || !obj.TryGetValue(segment, out var child)) return null;
            node = child;
        }
        return node.NeedsResolve ? ResolveField(node, remember: true) : node;
    }

    private ConfigValue? ResolveConcatenation(Concatenation concatenation)
    {
        var parts = partLists.Count > 0 ? partLists.Pop() : new List<ConfigValue>(4);
        try
        {
            return JoinPieces(concatenation, parts);
        }
        finally
        {
            parts.Clear();
            partLists.Push(parts);
        }
    }

    private ConfigValue? JoinPieces(Concatenation concatenation, List<ConfigValue> parts)
    {
        foreach (var piece in concatenation.Pieces)
        {
            if (piece is ConcatWhitespace)
            {
                parts.Add(piece);
                continue;
            }
            var resolved = Resolve(piece, false);
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
                return Produced(JoinStructures(parts, concatenation), concatenation);
        }
        var text = textBuilder.Clear();
        foreach (var part in parts)
            text.Append(part is ConcatWhitespace ws ? ws.Text : ((ConfigPrimitive)part).Text);
        return Produced(new ConfigPrimitive(ConfigValueType.String, text.ToString(), concatenation.Source, concatenation.Line), concatenation);
    }

    /// <summary>Counts what concatenations build, so that doubling substitutions cannot exhaust memory.</summary>
    private ConfigValue Produced(ConfigValue value, Concatenation at)
    {
        produced += value switch
        {
            ConfigPrimitive p => p.Text.Length,
            ConfigList l => l.Count,
            ConfigObject o => o.Count,
            _ => 1,
        };
        if (produced > Limits.MaxProduced)
            throw new ConfigException($"{at.Origin}: substitutions build more than {Limits.MaxProduced} characters/elements; is a value concatenated with itself repeatedly?");
        return value;
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
                (ConfigList a, ConfigObject b) when NumericKeys.ToList(b) is { } bList => new ConfigList([.. a.Items, .. bList.Items], a.Source, a.Line),
                (ConfigObject a, ConfigList b) when NumericKeys.ToList(a) is { } aList => new ConfigList([.. aList.Items, .. b.Items], b.Source, b.Line),
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

    private string RenderChain() => string.Join(" -> ", chain.Select(s => $"{s.Expression} ({s.Origin})"));
}
