namespace ActorMq.Hocon;

/// <summary>The root of every error raised while parsing, resolving or reading configuration.</summary>
public class ConfigException : Exception
{
    /// <summary>Creates an error with a message that names the path and origin where known.</summary>
    public ConfigException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>The text is not valid HOCON (or JSON, or properties).</summary>
public sealed class ConfigParseException : ConfigException
{
    /// <summary>Creates a parse error at <paramref name="file"/>:<paramref name="line"/>:<paramref name="column"/>.</summary>
    public ConfigParseException(string file, int line, int column, string expected, string found)
        : base($"{file}:{line}:{column}: expected {expected}, found {found}")
    {
        File = file;
        Line = line;
        Column = column;
        Expected = expected;
    }

    /// <summary>The file path, resource name or description of the text.</summary>
    public string File { get; }

    /// <summary>The 1-based line of the error.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the error.</summary>
    public int Column { get; }

    /// <summary>What the parser expected at that point.</summary>
    public string Expected { get; }
}

/// <summary>A file could not be read, or a required include was not found.</summary>
public sealed class ConfigIOException : ConfigException
{
    /// <summary>Creates an I/O error.</summary>
    public ConfigIOException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>A path expression is not valid (e.g. <c>a..b</c> or <c>.a</c>).</summary>
public sealed class ConfigBadPathException : ConfigException
{
    /// <summary>Creates a bad-path error.</summary>
    public ConfigBadPathException(string path, string why)
        : base($"invalid path '{path}': {why}") => Path = path;

    /// <summary>The path expression as given.</summary>
    public string Path { get; }
}

/// <summary>A getter asked for a path that has no value (or whose value is null).</summary>
public sealed class ConfigMissingException : ConfigException
{
    /// <summary>Creates a missing-path error.</summary>
    public ConfigMissingException(string path, string? detail = null)
        : base(detail is null ? $"no configuration setting found for path '{path}'" : $"no configuration setting found for path '{path}': {detail}")
        => Path = path;

    /// <summary>The path that was asked for.</summary>
    public string Path { get; }
}

/// <summary>A value exists but has a type the getter cannot convert (e.g. an object read as a string).</summary>
public sealed class ConfigWrongTypeException : ConfigException
{
    /// <summary>Creates a wrong-type error.</summary>
    public ConfigWrongTypeException(string path, string expected, string actual, ConfigOrigin origin)
        : base($"{origin}: path '{path}' has type {actual} rather than {expected}")
    {
        Path = path;
        ExpectedType = expected;
        Origin = origin;
    }

    /// <summary>The path that was asked for.</summary>
    public string Path { get; }

    /// <summary>The type the getter wanted.</summary>
    public string ExpectedType { get; }

    /// <summary>Where the value was defined.</summary>
    public ConfigOrigin Origin { get; }
}

/// <summary>A value has the right type but cannot be used (bad duration unit, out of range, ...).</summary>
public sealed class ConfigBadValueException : ConfigException
{
    /// <summary>Creates a bad-value error.</summary>
    public ConfigBadValueException(string path, ConfigOrigin origin, string why)
        : base($"{origin}: invalid value at '{path}': {why}")
    {
        Path = path;
        Origin = origin;
    }

    /// <summary>The path that was asked for.</summary>
    public string Path { get; }

    /// <summary>Where the value was defined.</summary>
    public ConfigOrigin Origin { get; }
}

/// <summary>A substitution <c>${path}</c> names a path that exists neither in the configuration nor in the environment.</summary>
public sealed class ConfigUnresolvedSubstitutionException : ConfigException
{
    /// <summary>Creates an unresolved-substitution error.</summary>
    public ConfigUnresolvedSubstitutionException(string substitution, ConfigOrigin origin, string? detail = null)
        : base($"{origin}: could not resolve substitution {substitution}{(detail is null ? "" : ": " + detail)}")
    {
        Substitution = substitution;
        Origin = origin;
    }

    /// <summary>The substitution as written, e.g. <c>${a.b}</c>.</summary>
    public string Substitution { get; }

    /// <summary>Where the substitution was written.</summary>
    public ConfigOrigin Origin { get; }
}

/// <summary>Substitutions (or includes) refer to each other in a cycle that cannot be broken.</summary>
public sealed class ConfigCycleException : ConfigException
{
    /// <summary>Creates a cycle error.</summary>
    public ConfigCycleException(string message)
        : base(message)
    {
    }
}

/// <summary>A value was read from a configuration that still contains unresolved substitutions.</summary>
public sealed class ConfigNotResolvedException : ConfigException
{
    /// <summary>Creates a not-resolved error.</summary>
    public ConfigNotResolvedException(string message)
        : base(message)
    {
    }
}
