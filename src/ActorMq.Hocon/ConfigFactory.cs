using ActorMq.Hocon.Parsing;

namespace ActorMq.Hocon;

/// <summary>
/// Entry points: parse HOCON/JSON/.properties text or files, the merged embedded <c>reference.conf</c>
/// defaults, and <see cref="Load(string?)"/> for an application's effective configuration.
/// </summary>
public static class ConfigFactory
{
    private const string ReferenceResource = "reference.conf";
    private static readonly Lazy<Config> UnresolvedReference = new(LoadReference);
    private static readonly Lazy<Config> ResolvedReference = new(() => UnresolvedReference.Value.Resolve());

    /// <summary>An empty configuration.</summary>
    public static Config Empty { get; } = new(ConfigObject.Empty());

    /// <summary>
    /// Parses a text (HOCON unless <see cref="ConfigParseOptions.Syntax"/> says otherwise). The result is not
    /// resolved: merge fallbacks with <see cref="Config.WithFallback"/> first, then call <see cref="Config.Resolve"/>
    /// (getters on an unresolved config resolve it on first use, with environment variables).
    /// </summary>
    /// <exception cref="ConfigParseException">The text is not valid; the message gives line, column and what was expected.</exception>
    public static Config ParseString(string text, ConfigParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= new ConfigParseOptions();
        var includer = new Includer(options);
        var source = new OriginSource(options.OriginDescription ?? "string", options.BaseDirectory);
        return new Config(includer.Parse(text, source, options.Syntax ?? ConfigSyntax.Conf, [], identity: null));
    }

    /// <summary>
    /// Parses a file; the syntax comes from its extension (.conf, .json, .properties) unless given. A path
    /// without one of these extensions that does not exist is tried with each of them, merged (.conf first).
    /// Includes in the file are relative to its directory.
    /// </summary>
    /// <exception cref="ConfigIOException">The file does not exist (unless <see cref="ConfigParseOptions.AllowMissing"/>) or cannot be read.</exception>
    public static Config ParseFile(string path, ConfigParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new ConfigParseOptions();
        var full = TextFile.FullPath(path);
        var includer = new Includer(options);
        if (!File.Exists(full) && options.Syntax is null && Includer.SyntaxOf(full) == ConfigSyntax.Conf && !full.EndsWith(".conf", StringComparison.OrdinalIgnoreCase))
        {
            var any = includer.Include(new IncludeRequest(IncludeKind.File, full, Required: false, new OriginSource(full, Path.GetDirectoryName(full)), []), full);
            if (any is not null) return new Config(any);
        }
        if (!File.Exists(full))
        {
            if (options.AllowMissing) return Empty;
            throw new ConfigIOException($"{full}: configuration file not found");
        }
        var text = TextFile.Read(full);
        var source = new OriginSource(options.OriginDescription ?? full, Path.GetDirectoryName(full));
        return new Config(includer.Parse(text, source, options.Syntax ?? Includer.SyntaxOf(full), [], identity: full));
    }

    /// <summary>
    /// Every embedded manifest resource named exactly <c>reference.conf</c> in the loaded assemblies (the .NET
    /// counterpart of the JVM classpath), merged and resolved; cached after the first call. ActorMq's own
    /// defaults are the lowest priority; another assembly's reference.conf may override them.
    /// </summary>
    public static Config DefaultReference() => ResolvedReference.Value;

    /// <summary>
    /// The application's effective configuration: <paramref name="applicationConfPath"/> (or <c>application.conf</c>
    /// in the current directory when it exists) over the unresolved reference defaults, resolved with
    /// environment variables as fallback for substitutions.
    /// </summary>
    public static Config Load(string? applicationConfPath = null)
    {
        Config application;
        if (applicationConfPath is not null) application = ParseFile(applicationConfPath);
        else
        {
            var local = Path.Combine(Directory.GetCurrentDirectory(), "application.conf");
            application = File.Exists(local) ? ParseFile(local) : Empty;
        }
        return Load(application);
    }

    /// <summary><paramref name="application"/> over the unresolved reference defaults, resolved with environment variables.</summary>
    public static Config Load(Config application)
    {
        ArgumentNullException.ThrowIfNull(application);
        return application.WithFallback(UnresolvedReference.Value).Resolve();
    }

    private static Config LoadReference()
    {
        var own = typeof(ConfigFactory).Assembly;
        Config? result = null;
        Config? ownReference = null;
        foreach (var (assembly, text) in EmbeddedResources.Read(ReferenceResource))
        {
            var parsed = new Config(new Includer(new ConfigParseOptions()).Parse(
                text, new OriginSource($"{ReferenceResource} in {assembly.GetName().Name}", null, isResource: true), ConfigSyntax.Conf, [], identity: null));
            if (assembly == own) ownReference = parsed;
            else result = result is null ? parsed : result.WithFallback(parsed);
        }
        if (ownReference is not null) result = result is null ? ownReference : result.WithFallback(ownReference);
        return result ?? Empty;
    }
}
