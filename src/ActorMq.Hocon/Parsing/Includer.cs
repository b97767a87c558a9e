using System.Reflection;

namespace ActorMq.Hocon.Parsing;

/// <summary>How an include names its target.</summary>
internal enum IncludeKind
{
    /// <summary><c>include "name"</c>: a file relative to the including file, else an embedded resource.</summary>
    Heuristic,

    /// <summary><c>include file("path")</c>.</summary>
    File,

    /// <summary><c>include url("file:...")</c>; only file URLs are supported.</summary>
    Url,

    /// <summary><c>include classpath("name")</c>: embedded manifest resources of that name.</summary>
    Classpath,
}

internal sealed record IncludeRequest(IncludeKind Kind, string Name, bool Required, OriginSource From, string[] Prefix);

/// <summary>
/// Loads the targets of include statements, trying .conf/.json/.properties for names without an
/// extension, and detects include cycles by keeping the chain of files being parsed.
/// </summary>
internal sealed class Includer(ConfigParseOptions options)
{
    private static readonly string[] Extensions = [".conf", ".json", ".properties"];
    private readonly List<string> chain = [];

    public ConfigParseOptions Options { get; } = options;

    /// <summary>Buffers reused by the parsers of this parse (an include is parsed between two fields, when none is in use).</summary>
    public ParseScratch Scratch { get; } = new();

    /// <summary>Parses a text as the top-level document (or as an included one when the chain is not empty).</summary>
    public ConfigObject Parse(string text, OriginSource source, ConfigSyntax syntax, string[] prefix, string? identity)
    {
        if (identity is not null)
        {
            if (chain.Contains(identity))
                throw new ConfigCycleException($"include cycle: {string.Join(" -> ", chain)} -> {identity}");
            if (chain.Count >= Limits.MaxIncludeDepth)
                throw new ConfigException($"{source.Description}: includes nested more than {Limits.MaxIncludeDepth} levels deep");
            chain.Add(identity);
        }
        try
        {
            return syntax == ConfigSyntax.Properties
                ? PropertiesParser.Parse(text, source)
                : new HoconParser(text, source, this, prefix, syntax == ConfigSyntax.Json).ParseDocument();
        }
        finally
        {
            if (identity is not null) chain.RemoveAt(chain.Count - 1);
        }
    }

    /// <summary>Loads an include target; null when it does not exist and is not required.</summary>
    public ConfigObject? Include(IncludeRequest request, string where)
    {
        var candidates = Candidates(request.Name);
        // a resource's heuristic includes are resources too (never files in the working directory)
        var result = request.From.IsResource && request.Kind == IncludeKind.Heuristic ? null : LoadAll(request, candidates, resources: false);
        if (result is null && request.Kind == IncludeKind.Heuristic && !Path.IsPathRooted(request.Name))
            result = LoadAll(request with { Kind = IncludeKind.Classpath, Name = request.Name.TrimStart('/') }, Candidates(request.Name.TrimStart('/')), resources: true);
        if (result is null && request.Required)
            throw new ConfigIOException($"{where}: required include '{request.Name}' was not found ({Describe(request)})");
        return result;
    }

    private ConfigObject? LoadAll(IncludeRequest request, List<(string Name, ConfigSyntax Syntax)> candidates, bool resources)
    {
        ConfigObject? result = null;
        foreach (var (name, syntax) in candidates)
        {
            var found = resources ? LoadResources(name, syntax, request.Prefix) : Load(request, name, syntax);
            if (found is null) continue;
            result = result is null ? found : Merger.MergeObjects(result, found, inPlace: false);
        }
        return result;
    }

    private static string Describe(IncludeRequest request) => request.Kind switch
    {
        IncludeKind.Classpath => "looked for an embedded resource of that name",
        IncludeKind.Url => "looked for a file: URL",
        _ => $"looked in {request.From.Directory ?? "the current directory"}" + (request.Kind == IncludeKind.Heuristic ? " and embedded resources" : ""),
    };

    private static List<(string Name, ConfigSyntax Syntax)> Candidates(string name)
    {
        foreach (var extension in Extensions)
        {
            if (name.EndsWith(extension, StringComparison.Ordinal)) return [(name, SyntaxOf(name))];
        }
        return [(name + ".conf", ConfigSyntax.Conf), (name + ".json", ConfigSyntax.Json), (name + ".properties", ConfigSyntax.Properties)];
    }

    public static ConfigSyntax SyntaxOf(string name) =>
        name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ConfigSyntax.Json
        : name.EndsWith(".properties", StringComparison.OrdinalIgnoreCase) ? ConfigSyntax.Properties
        : ConfigSyntax.Conf;

    private ConfigObject? Load(IncludeRequest request, string name, ConfigSyntax syntax)
    {
        if (request.Kind == IncludeKind.Heuristic && Options.IncludeResolver is { } resolver)
        {
            var resolved = resolver(name);
            if (resolved is not null)
                return Parse(resolved, new OriginSource(name, request.From.Directory), syntax, request.Prefix, "resolver:" + name);
        }
        switch (request.Kind)
        {
            case IncludeKind.Classpath:
                return LoadResources(name, syntax, request.Prefix);
            case IncludeKind.Url:
                if (!Uri.TryCreate(name, UriKind.Absolute, out var uri))
                    throw new ConfigIOException($"{request.From.Description}: include url(\"{request.Name}\") is not a valid URL");
                if (!uri.IsFile)
                    throw new ConfigIOException($"{request.From.Description}: include url(\"{request.Name}\"): only file: URLs are supported");
                return LoadFile(uri.LocalPath, syntax, request.Prefix);
            case IncludeKind.File:
                return LoadFile(FilePath(request, name), syntax, request.Prefix);
            default:
                if (Uri.TryCreate(name, UriKind.Absolute, out var asUri) && asUri.Scheme is "file")
                    return LoadFile(asUri.LocalPath, syntax, request.Prefix);
                if (Uri.TryCreate(name, UriKind.Absolute, out asUri) && asUri.Scheme is "http" or "https")
                    throw new ConfigIOException($"{request.From.Description}: include \"{request.Name}\": only file: URLs are supported");
                return LoadFile(FilePath(request, name), syntax, request.Prefix);
        }
    }

    private string FilePath(IncludeRequest request, string name)
    {
        if (Path.IsPathRooted(name)) return name;
        // HOCON.md: the heuristic form is relative to the including file; file() is not (working directory).
        var directory = request.Kind == IncludeKind.File
            ? Options.BaseDirectory ?? Directory.GetCurrentDirectory()
            : request.From.Directory ?? Options.BaseDirectory ?? Directory.GetCurrentDirectory();
        return Path.Combine(directory, name);
    }

    private ConfigObject? LoadFile(string path, ConfigSyntax syntax, string[] prefix)
    {
        var full = TextFile.FullPath(path);
        if (!File.Exists(full)) return null;
        var text = TextFile.Read(full);
        return Parse(text, new OriginSource(full, Path.GetDirectoryName(full)), syntax, prefix, full);
    }

    private ConfigObject? LoadResources(string name, ConfigSyntax syntax, string[] prefix)
    {
        ConfigObject? result = null;
        foreach (var (assembly, text) in EmbeddedResources.Read(name))
        {
            var parsed = Parse(text, new OriginSource($"resource {name} in {assembly.GetName().Name}", null, isResource: true), syntax, prefix, $"resource:{assembly.FullName}:{name}");
            result = result is null ? parsed : Merger.MergeObjects(result, parsed, inPlace: false);
        }
        return result;
    }
}

/// <summary>Embedded manifest resources by logical name across the loaded assemblies (the .NET classpath).</summary>
internal static class EmbeddedResources
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Assembly, HashSet<string>> Names = new();

    private static HashSet<string> ResourceNames(Assembly assembly)
    {
        try
        {
            return new HashSet<string>(assembly.GetManifestResourceNames(), StringComparer.Ordinal);
        }
        catch (NotSupportedException)
        {
            return [];
        }
    }

    public static IEnumerable<(Assembly Assembly, string Text)> Read(string name)
    {
        var assemblies = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic)
            .OrderBy(a => a.FullName, StringComparer.Ordinal);
        foreach (var assembly in assemblies)
        {
            if (!Names.GetValue(assembly, ResourceNames).Contains(name)) continue;
            using var stream = assembly.GetManifestResourceStream(name);
            if (stream is null) continue;
            using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
            yield return (assembly, reader.ReadToEnd());
        }
    }
}

/// <summary>Reusable buffers and the string cache of one parse, shared by the document and its includes.</summary>
internal sealed class ParseScratch
{
    public Dictionary<string, string> Strings { get; } = new(StringComparer.Ordinal);

    public System.Text.StringBuilder Text { get; } = new();

    public System.Text.StringBuilder Quote { get; } = new();

    public string[] SingleKey { get; } = new string[1];

    public List<string> Path { get; } = new(8);

    public Stack<List<KeyValuePair<string, ConfigValue>>> FieldLists { get; } = new();

    public Stack<List<ConfigValue>> Lists { get; } = new();
}
