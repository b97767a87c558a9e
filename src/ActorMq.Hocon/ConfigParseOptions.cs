namespace ActorMq.Hocon;

/// <summary>The syntax of a text to parse.</summary>
public enum ConfigSyntax
{
    /// <summary>HOCON (the default; JSON is a subset of it).</summary>
    Conf,

    /// <summary>Strict JSON.</summary>
    Json,

    /// <summary>Java-style .properties: <c>a.b.c = value</c> lines, every value a string.</summary>
    Properties,
}

/// <summary>Options for <see cref="ConfigFactory.ParseString"/> and <see cref="ConfigFactory.ParseFile"/>.</summary>
public sealed class ConfigParseOptions
{
    /// <summary>Describes the text in origins and error messages (defaults to the file path, or "string").</summary>
    public string? OriginDescription { get; init; }

    /// <summary>
    /// The syntax; when null it comes from the file extension (.json, .properties, otherwise HOCON).
    /// </summary>
    public ConfigSyntax? Syntax { get; init; }

    /// <summary>
    /// The directory relative includes are looked up in when parsing a string
    /// (files always use their own directory).
    /// </summary>
    public string? BaseDirectory { get; init; }

    /// <summary>
    /// Resolves an include name (as written, e.g. <c>"other.conf"</c>) to its text, or null when not found.
    /// Consulted before files and embedded resources.
    /// </summary>
    public Func<string, string?>? IncludeResolver { get; init; }

    /// <summary>For <see cref="ConfigFactory.ParseFile"/>: a missing file gives an empty config instead of an error.</summary>
    public bool AllowMissing { get; init; }
}

/// <summary>Options for <see cref="Config.Resolve"/>.</summary>
public sealed class ConfigResolveOptions
{
    /// <summary>Substitutions not found in the configuration fall back to environment variables (default true).</summary>
    public bool UseEnvironment { get; init; } = true;

    /// <summary>Leave unresolvable substitutions in place instead of failing (default false).</summary>
    public bool AllowUnresolved { get; init; }
}
