using ActorMq.Hocon.Parsing;
using ActorMq.Hocon.Rendering;
using ActorMq.Hocon.Resolution;

namespace ActorMq.Hocon;

/// <summary>
/// An immutable configuration tree with typed getters. Paths are HOCON path expressions
/// (<c>actormq.retry."max-attempts"</c>). Build one with <see cref="ConfigFactory"/>, combine with
/// <see cref="WithFallback"/>, then <see cref="Resolve"/>. Reading from a config that still has
/// substitutions resolves it first (with environment variables), once.
/// </summary>
public sealed partial class Config
{
    private readonly ConfigObject root;
    private readonly bool resolveAttempted;
    private ConfigObject? resolved;

    internal Config(ConfigObject root, bool resolveAttempted = false)
    {
        this.root = root;
        this.resolveAttempted = resolveAttempted;
    }

    /// <summary>True when the configuration has no fields.</summary>
    public bool IsEmpty => root.Count == 0;

    /// <summary>True when no substitution is left to resolve.</summary>
    public bool IsResolved => !root.NeedsResolve;

    /// <summary>The resolved root object.</summary>
    public ConfigObject Root => Effective;

    /// <summary>The field names at the root, in definition order.</summary>
    public IEnumerable<string> Keys => Effective.Keys;

    private ConfigObject Effective
    {
        get
        {
            if (resolveAttempted || !root.NeedsResolve) return root;
            return resolved ??= Resolver.Resolve(root, new ConfigResolveOptions());
        }
    }

    /// <summary>
    /// Resolves every substitution (<c>${path}</c>, <c>${?path}</c>, self-references, <c>+=</c>) against this
    /// configuration; with <see cref="ConfigResolveOptions.UseEnvironment"/> (default) a path that is missing
    /// falls back to the environment variable of that name.
    /// </summary>
    /// <exception cref="ConfigUnresolvedSubstitutionException">A required substitution has no value.</exception>
    /// <exception cref="ConfigCycleException">Substitutions refer to each other in an unbreakable cycle.</exception>
    public Config Resolve(ConfigResolveOptions? options = null)
    {
        if (!root.NeedsResolve) return this;
        var result = Resolver.Resolve(root, options ?? new ConfigResolveOptions());
        return new Config(result, resolveAttempted: true);
    }

    /// <summary>
    /// This configuration with <paramref name="fallback"/> underneath: fields missing here come from the fallback,
    /// objects merge recursively, any other value here hides the fallback's. Resolve after merging so that
    /// substitutions can see (and self-references extend) the fallback's values.
    /// </summary>
    public Config WithFallback(Config fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        if (fallback.IsEmpty) return this;
        if (IsEmpty) return fallback;
        return new Config(Merger.MergeObjects(root, fallback.root, inPlace: false));
    }

    /// <summary>The object at <paramref name="path"/> as a configuration; an empty configuration when the path is missing.</summary>
    /// <exception cref="ConfigWrongTypeException">The value at the path is not an object.</exception>
    public Config GetConfig(string path)
    {
        var value = Find(path, out var segments);
        if (value is null || value.ValueType == ConfigValueType.Null) return ConfigFactory.Empty;
        if (value is not ConfigObject obj) throw WrongType(segments, "object", value);
        return new Config(obj);
    }

    /// <summary>True when <paramref name="path"/> has a value that is not null.</summary>
    public bool HasPath(string path)
    {
        var value = Find(path, out _);
        return value is not null && value.ValueType != ConfigValueType.Null;
    }

    /// <summary>The value at <paramref name="path"/>.</summary>
    /// <exception cref="ConfigMissingException">The path has no value, or its value is null.</exception>
    public ConfigValue GetValue(string path) => Require(path, out _);

    /// <summary>The object at <paramref name="path"/>.</summary>
    public ConfigObject GetObject(string path)
    {
        var value = Require(path, out var segments);
        return value as ConfigObject ?? throw WrongType(segments, "object", value);
    }

    /// <summary>The field names of the object at <paramref name="path"/>, in definition order.</summary>
    public IEnumerable<string> GetKeys(string path) => GetObject(path).Keys;

    /// <summary>Where the value at <paramref name="path"/> was defined (file or description, and line).</summary>
    public ConfigOrigin GetOrigin(string path) => Require(path, out _).Origin;

    /// <summary>
    /// Every leaf value (not object) with its full path expression, depth first in definition order;
    /// for listing a configuration with origins.
    /// </summary>
    public IEnumerable<KeyValuePair<string, ConfigValue>> Entries()
    {
        var results = new List<KeyValuePair<string, ConfigValue>>();
        Collect([], Effective, results);
        return results;
    }

    private static void Collect(List<string> path, ConfigObject obj, List<KeyValuePair<string, ConfigValue>> into)
    {
        foreach (var (key, value) in obj)
        {
            path.Add(key);
            if (value is ConfigObject child) Collect(path, child, into);
            else into.Add(new(ConfigPath.Render(path), value));
            path.RemoveAt(path.Count - 1);
        }
    }

    /// <summary>The resolved tree as compact JSON.</summary>
    public string ToJson() => JsonRenderer.Render(Effective);

    /// <summary>The resolved tree as HOCON text that parses back to the same value.</summary>
    public string ToHocon() => HoconRenderer.Render(Effective);

    /// <summary>
    /// The resolved tree as HOCON text; with <paramref name="includeOrigins"/>, every field is preceded by a
    /// <c># file:line</c> comment saying where its value was defined.
    /// </summary>
    public string ToHocon(bool includeOrigins) => HoconRenderer.Render(Effective, includeOrigins);

    /// <summary>The resolved tree as HOCON text.</summary>
    public override string ToString() => ToHocon();

    private ConfigValue? Find(string path, out string[] segments)
    {
        segments = ConfigPath.Parse(path);
        ConfigValue current = Effective;
        for (var i = 0; i < segments.Length; i++)
        {
            if (current is not ConfigObject obj)
            {
                if (current.ValueType == ConfigValueType.Null) return null;
                throw WrongType(segments[..i], "object", current);
            }
            if (!obj.TryGetValue(segments[i], out var child)) return null;
            current = child;
        }
        return current;
    }

    private ConfigValue Require(string path, out string[] segments)
    {
        var value = Find(path, out segments);
        if (value is null) throw new ConfigMissingException(path);
        if (value.ValueType == ConfigValueType.Null) throw new ConfigMissingException(path, $"the value at {value.Origin} is null");
        return value;
    }

    private static ConfigWrongTypeException WrongType(string[] segments, string expected, ConfigValue value) =>
        new(ConfigPath.Render(segments), expected, Describe(value), value.Origin);

    private static string Describe(ConfigValue value) => value.ValueType.ToString().ToLowerInvariant();
}
