using System.Globalization;
using ActorMq.Hocon.Parsing;

namespace ActorMq.Hocon;

/// <summary>A string, number, boolean or null value.</summary>
public sealed class ConfigPrimitive : ConfigValue
{
    private readonly ConfigValueType type;

    internal ConfigPrimitive(ConfigValueType type, string text, OriginSource? source, int line)
        : base(source, line)
    {
        this.type = type;
        Text = text;
    }

    /// <inheritdoc />
    public override ConfigValueType ValueType => type;

    /// <summary>
    /// The value as text: the string itself, the number as written, <c>true</c>/<c>false</c>, or <c>null</c>.
    /// </summary>
    public string Text { get; }

    internal override bool NeedsResolve => false;

    /// <summary>The value as a .NET object: string, long, double, bool, or null.</summary>
    public object? Unwrapped => type switch
    {
        ConfigValueType.String => Text,
        ConfigValueType.Boolean => Text == "true",
        ConfigValueType.Number => long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
            ? l
            : double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => null,
    };

    internal static ConfigPrimitive Null(OriginSource? source, int line) => new(ConfigValueType.Null, "null", source, line);
}
