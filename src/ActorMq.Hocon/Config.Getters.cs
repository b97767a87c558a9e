using System.Globalization;
using ActorMq.Hocon.Parsing;
using ActorMq.Hocon.Resolution;
using ActorMq.Hocon.Units;

namespace ActorMq.Hocon;

// Typed getters with HOCON.md "Automatic type conversions": numbers and booleans read as strings,
// numeric strings as numbers, "true/yes/on" and "false/no/off" as booleans, objects with numeric
// keys as lists.
public sealed partial class Config
{
    /// <summary>The string at <paramref name="path"/>; numbers and booleans are converted to their text.</summary>
    /// <exception cref="ConfigMissingException">The path has no value, or its value is null.</exception>
    /// <exception cref="ConfigWrongTypeException">The value is an object or a list.</exception>
    public string GetString(string path) => AsString(Require(path, out _), path);

    /// <summary>The 32-bit integer at <paramref name="path"/> (a number, or a string holding one).</summary>
    public int GetInt(string path) => AsInt(Require(path, out _), path);

    /// <summary>The 64-bit integer at <paramref name="path"/> (a number, or a string holding one).</summary>
    public long GetLong(string path) => AsLong(Require(path, out _), path);

    /// <summary>The floating-point number at <paramref name="path"/> (a number, or a string holding one).</summary>
    public double GetDouble(string path) => AsDouble(Require(path, out _), path);

    /// <summary>The boolean at <paramref name="path"/>: true/false, or the strings yes/no and on/off.</summary>
    public bool GetBoolean(string path) => AsBoolean(Require(path, out _), path);

    /// <summary>
    /// The duration at <paramref name="path"/>: a number with a unit (ns, us, ms, s, m, h, d and the long forms
    /// nanoseconds ... days), or a bare number of milliseconds.
    /// </summary>
    /// <exception cref="ConfigBadValueException">The text is not a duration (unknown unit, out of range).</exception>
    public TimeSpan GetTimeSpan(string path) => AsTimeSpan(Require(path, out _), path);

    /// <summary>
    /// The size in bytes at <paramref name="path"/>: a number with a unit (B; kB, MB, ... = powers of 1000;
    /// K/k/Ki/KiB, M/m/Mi/MiB, ... = powers of 1024; long forms kilobytes, kibibytes, ...), or a bare number of bytes.
    /// </summary>
    /// <exception cref="ConfigBadValueException">The text is not a size or does not fit in 64 bits.</exception>
    public long GetBytes(string path) => AsBytes(Require(path, out _), path);

    /// <summary>The list at <paramref name="path"/> (an object with numeric keys converts to a list).</summary>
    public ConfigList GetList(string path) => AsList(Require(path, out _), path);

    /// <summary>The list of strings at <paramref name="path"/>.</summary>
    public IReadOnlyList<string> GetStringList(string path) => MapList(path, AsString);

    /// <summary>The list of 32-bit integers at <paramref name="path"/>.</summary>
    public IReadOnlyList<int> GetIntList(string path) => MapList(path, AsInt);

    /// <summary>The list of 64-bit integers at <paramref name="path"/>.</summary>
    public IReadOnlyList<long> GetLongList(string path) => MapList(path, AsLong);

    /// <summary>The list of floating-point numbers at <paramref name="path"/>.</summary>
    public IReadOnlyList<double> GetDoubleList(string path) => MapList(path, AsDouble);

    /// <summary>The list of booleans at <paramref name="path"/>.</summary>
    public IReadOnlyList<bool> GetBooleanList(string path) => MapList(path, AsBoolean);

    /// <summary>The list of durations at <paramref name="path"/> (see <see cref="GetTimeSpan"/>).</summary>
    public IReadOnlyList<TimeSpan> GetTimeSpanList(string path) => MapList(path, AsTimeSpan);

    /// <summary>The list of sizes in bytes at <paramref name="path"/> (see <see cref="GetBytes"/>).</summary>
    public IReadOnlyList<long> GetBytesList(string path) => MapList(path, AsBytes);

    /// <summary>The list of objects at <paramref name="path"/>, each as a configuration.</summary>
    public IReadOnlyList<Config> GetConfigList(string path) =>
        MapList(path, (value, at) => value is ConfigObject obj ? new Config(obj) : throw WrongTypeAt(at, "object", value));

    private IReadOnlyList<T> MapList<T>(string path, Func<ConfigValue, string, T> convert)
    {
        var list = AsList(Require(path, out _), path);
        var result = new T[list.Count];
        for (var i = 0; i < list.Count; i++) result[i] = convert(list[i], $"{path}[{i}]");
        return result;
    }

    private static ConfigWrongTypeException WrongTypeAt(string path, string expected, ConfigValue value) =>
        new(path, expected, value.ValueType.ToString().ToLowerInvariant(), value.Origin);

    private static string AsString(ConfigValue value, string path) => value switch
    {
        ConfigPrimitive { ValueType: not ConfigValueType.Null } p => p.Text,
        _ => throw WrongTypeAt(path, "string", value),
    };

    private static double AsDouble(ConfigValue value, string path)
    {
        if (value is ConfigPrimitive { ValueType: ConfigValueType.Number or ConfigValueType.String } p
            && double.TryParse(p.Text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return d;
        throw WrongTypeAt(path, "number", value);
    }

    private static long AsLong(ConfigValue value, string path)
    {
        if (value is ConfigPrimitive { ValueType: ConfigValueType.Number or ConfigValueType.String } p)
        {
            var text = p.Text.Trim();
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                if (d == Math.Floor(d) && d >= long.MinValue && d <= long.MaxValue) return (long)d;
                throw new ConfigBadValueException(path, value.Origin, $"'{p.Text}' is not a whole number in the 64-bit range");
            }
        }
        throw WrongTypeAt(path, "number", value);
    }

    private static int AsInt(ConfigValue value, string path)
    {
        var l = AsLong(value, path);
        if (l is < int.MinValue or > int.MaxValue)
            throw new ConfigBadValueException(path, value.Origin, $"{l} is outside the 32-bit integer range");
        return (int)l;
    }

    private static bool AsBoolean(ConfigValue value, string path)
    {
        if (value is ConfigPrimitive { ValueType: ConfigValueType.Boolean or ConfigValueType.String } p)
        {
            switch (p.Text)
            {
                case "true" or "yes" or "on": return true;
                case "false" or "no" or "off": return false;
            }
        }
        throw WrongTypeAt(path, "boolean", value);
    }

    private static TimeSpan AsTimeSpan(ConfigValue value, string path)
    {
        if (value is not ConfigPrimitive { ValueType: ConfigValueType.Number or ConfigValueType.String } p)
            throw WrongTypeAt(path, "duration", value);
        return UnitParser.ParseDuration(p.Text, out var error) ?? throw new ConfigBadValueException(path, value.Origin, error!);
    }

    private static long AsBytes(ConfigValue value, string path)
    {
        if (value is not ConfigPrimitive { ValueType: ConfigValueType.Number or ConfigValueType.String } p)
            throw WrongTypeAt(path, "size in bytes", value);
        return UnitParser.ParseBytes(p.Text, out var error) ?? throw new ConfigBadValueException(path, value.Origin, error!);
    }

    private static ConfigList AsList(ConfigValue value, string path)
    {
        if (value is ConfigList list) return list;
        if (value is ConfigObject obj && NumericKeys.ToList(obj) is { } converted) return converted;
        throw WrongTypeAt(path, "list", value);
    }
}
