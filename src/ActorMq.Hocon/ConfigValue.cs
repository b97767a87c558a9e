using ActorMq.Hocon.Parsing;

namespace ActorMq.Hocon;

/// <summary>
/// A configuration value: an object, a list or a primitive (string, number, boolean, null).
/// Values handed out by <see cref="Config"/> are resolved and immutable.
/// </summary>
public abstract class ConfigValue
{
    private readonly OriginSource? source;
    private readonly int line;

    private protected ConfigValue(OriginSource? source, int line)
    {
        this.source = source;
        this.line = line;
    }

    /// <summary>The kind of this value.</summary>
    public abstract ConfigValueType ValueType { get; }

    /// <summary>Where this value was defined (file or description and line).</summary>
    public ConfigOrigin Origin => source is null ? ConfigOrigin.None : new ConfigOrigin(source.Description, line);

    internal OriginSource? Source => source;

    internal int Line => line;

    /// <summary>True when this value (or something inside it) still needs substitution.</summary>
    internal abstract bool NeedsResolve { get; }

    /// <summary>Renders this value as compact JSON.</summary>
    public string ToJson() => Rendering.JsonRenderer.Render(this);

    /// <summary>Renders this value as HOCON text.</summary>
    public string ToHocon() => Rendering.HoconRenderer.Render(this);

    /// <summary>Renders this value as compact JSON.</summary>
    public override string ToString() => ToJson();
}
