using System.Globalization;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorMq.Settings;

/// <summary>
/// Reads one HOCON section (Akka's <see cref="Config"/>) for a settings record and turns every problem into a
/// <see cref="ConfigurationException"/> whose message names the full path, the value found and what was expected.
/// Akka's getters return a default for a missing key; this reader never does: every key ActorMq reads has its default
/// in reference.conf, so a missing one is reported, not guessed.
/// </summary>
internal sealed class SettingsReader
{
    private readonly Config _config;
    private readonly string _path;

    private SettingsReader(Config config, string path)
    {
        _config = config;
        _path = path;
    }

    /// <summary>A reader of section <paramref name="path"/> of <paramref name="config"/>.</summary>
    public static SettingsReader For(Config config, string path)
    {
        if (!config.HasPath(path)) throw new ConfigurationException(path, $"{path} is missing (expected a configuration section; is ActorMq's reference.conf loaded as the fallback?)");
        return new SettingsReader(Section(config, path, path), path);
    }

    /// <summary>A reader of <paramref name="path"/> layered over the templates at <paramref name="templatePaths"/> (the first wins).</summary>
    public static SettingsReader Layered(Config config, string path, params string[] templatePaths)
    {
        var layered = config.HasPath(path) ? Section(config, path, path) : Config.Empty;
        foreach (var templatePath in templatePaths) layered = layered.WithFallback(For(config, templatePath)._config);
        return new SettingsReader(layered, path);
    }

    /// <summary>The names directly under <paramref name="path"/> (an object), in definition order; none when absent.</summary>
    public static IReadOnlyList<string> Keys(Config config, string path) =>
        config.HasPath(path) ? Section(config, path, path).Root.GetObject().Items.Keys.ToList() : [];

    /// <summary>Quotes a key for use inside a path when it contains characters HOCON paths treat specially.</summary>
    public static string Quote(string key) =>
        key.Length > 0 && key.All(c => char.IsLetterOrDigit(c) || c is '-' or '_') ? key : "\"" + key.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>The full HOCON path of <paramref name="key"/>.</summary>
    public string PathOf(string key) => $"{_path}.{key}";

    /// <summary>A sub-section.</summary>
    public SettingsReader Section(string key) => new(Section(_config, key, PathOf(key)), PathOf(key));

    /// <summary>The names directly under <paramref name="key"/>.</summary>
    public IReadOnlyList<string> KeysOf(string key) => _config.HasPath(key) ? Keys(_config, key) : [];

    /// <summary>Entry <paramref name="name"/> of object <paramref name="key"/>, layered over the template <paramref name="templateKey"/>.</summary>
    public SettingsReader Entry(string key, string name, string templateKey)
    {
        var entryPath = $"{key}.{Quote(name)}";
        var own = Section(_config, entryPath, PathOf(entryPath));
        var template = Section(_config, templateKey, PathOf(templateKey));
        return new SettingsReader(own.WithFallback(template), PathOf(entryPath));
    }

    public string String(string key) => Scalar(key) ?? throw Invalid(key, "a string");

    public bool Bool(string key) => Scalar(key) switch
    {
        "on" or "true" or "yes" => true,
        "off" or "false" or "no" => false,
        _ => throw Invalid(key, "on or off (true or false)"),
    };

    public int Int(string key, int min, int max)
    {
        var expected = max == int.MaxValue ? $"an integer >= {min}" : $"an integer between {min} and {max}";
        if (!long.TryParse(Scalar(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw Invalid(key, expected);
        return (int)value;
    }

    public double Double(string key, double min, double max)
    {
        if (!double.TryParse(Scalar(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || value < min || value > max)
            throw Invalid(key, $"a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
        return value;
    }

    public long Bytes(string key, long min, long max)
    {
        var value = Read(key, "a size such as 512KiB or 16MB", v => v.GetByteSize()) ?? throw Invalid(key, "a size such as 512KiB or 16MB");
        if (value < min || value > max) throw Invalid(key, $"a size between {min} and {max} bytes");
        return value;
    }

    public TimeSpan Duration(string key, bool positive)
    {
        var text = Scalar(key);
        if (text is not null && text.TrimStart().StartsWith('-')) throw Invalid(key, positive ? "a duration > 0" : "a duration >= 0");
        var value = ParseDuration(key, text);
        if (positive ? value <= TimeSpan.Zero : value < TimeSpan.Zero) throw Invalid(key, positive ? "a duration > 0" : "a duration >= 0");
        return value;
    }

    /// <summary>A positive duration, or <c>null</c> for <c>off</c>.</summary>
    public TimeSpan? DurationOrOff(string key)
    {
        var text = String(key);
        if (text is "off" or "none" or "infinite") return null;
        return Duration(key, positive: true);
    }

    public IReadOnlyList<string> StringList(string key)
    {
        var value = Value(key);
        if (!HoconFiles.IsList(value)) throw Invalid(key, "a list of strings");
        return value.GetArray().Select(item => item.IsString() ? item.GetString() : throw Invalid(key, "a list of strings")).ToList();
    }

    /// <summary>A non-empty list of delays, each a positive whole number of milliseconds.</summary>
    public IReadOnlyList<TimeSpan> DelayList(string key)
    {
        var value = Value(key);
        if (!HoconFiles.IsList(value)) throw Invalid(key, "a non-empty list of delays, e.g. [5s, 30s, 5m]");
        var delays = value.GetArray().Select(item => ParseDuration(key, item.IsString() ? item.GetString() : null)).ToList();
        if (delays.Count == 0) throw Invalid(key, "a non-empty list of delays, e.g. [5s, 30s, 5m]");
        foreach (var delay in delays)
        {
            if (delay <= TimeSpan.Zero || delay.Ticks % TimeSpan.TicksPerMillisecond != 0)
                throw Invalid(key, $"delays > 0 in whole milliseconds, but one is {delay}");
        }
        return delays;
    }

    /// <summary>One of the allowed texts, mapped to its value.</summary>
    public T Enum<T>(string key, string expected, params (string Text, T Value)[] allowed)
    {
        var text = String(key);
        foreach (var (candidate, value) in allowed)
        {
            if (string.Equals(candidate, text, StringComparison.OrdinalIgnoreCase)) return value;
        }
        throw Invalid(key, $"one of {expected}");
    }

    /// <summary>A name pattern that must contain every placeholder in <paramref name="placeholders"/>.</summary>
    public string Pattern(string key, params string[] placeholders)
    {
        var pattern = String(key);
        var missing = placeholders.Where(p => !pattern.Contains(p, StringComparison.Ordinal)).ToList();
        if (missing.Count > 0) throw Invalid(key, $"a pattern containing {string.Join(" and ", placeholders)} (missing {string.Join(", ", missing)})");
        return pattern;
    }

    /// <summary>
    /// An argument table (object of strings, numbers and booleans) for a declaration. Integers become 64-bit integers
    /// (RabbitMQ wants <c>x-max-length</c>, <c>x-message-ttl</c>... as integers), other numbers doubles, <c>true</c> /
    /// <c>false</c> booleans, anything else a string.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Arguments(string key)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (!_config.HasPath(key)) return arguments;
        var section = Value(key);
        if (!section.IsObject()) throw Invalid(key, "an object of argument names and values");
        foreach (var (name, value) in section.GetObject().Items)
        {
            if (!value.IsString()) throw Invalid($"{key}.{Quote(name)}", "a string, number or boolean argument value");
            arguments[name] = ArgumentValue(value.GetString());
        }
        return arguments;
    }

    private static object? ArgumentValue(string? text)
    {
        if (text is null) return null;
        if (text is "true" or "false") return text == "true";
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) return integer;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && text.Any(char.IsDigit)) return number;
        return text;
    }

    /// <summary>A <see cref="ConfigurationException"/> for <paramref name="key"/>: path, found value (unless <paramref name="secret"/>), expectation.</summary>
    public ConfigurationException Invalid(string key, string expected, bool secret = false)
    {
        var path = PathOf(key);
        var value = _config.HasPath(key) ? _config.GetValue(key) : null;
        var found = value is null ? "nothing" : secret ? "(value hidden)" : value.IsString() ? $"'{value.GetString()}'" : value.ToString().Trim();
        return new ConfigurationException(path, $"{path}: expected {expected}, found {found}");
    }

    private TimeSpan ParseDuration(string key, string? text) =>
        (text is null ? null : HoconFiles.ParseDuration(text)) ?? throw Invalid(key, "a duration such as 250ms, 5s, 2m or 1h");

    /// <summary>The text of a scalar key (null for an object or a list).</summary>
    private string? Scalar(string key)
    {
        var value = Value(key);
        return value.IsString() ? value.GetString() : null;
    }

    private T Read<T>(string key, string expected, Func<HoconValue, T> read)
    {
        var value = Value(key);
        try
        {
            return read(value);
        }
        catch (Exception e) when (e is FormatException or OverflowException or NotSupportedException or ArgumentException)
        {
            throw Invalid(key, expected);
        }
    }

    private HoconValue Value(string key) =>
        _config.HasPath(key) ? _config.GetValue(key) : throw new ConfigurationException(PathOf(key), $"{PathOf(key)} is missing (every ActorMq setting has its default in reference.conf; is it loaded as the fallback?)");

    private static Config Section(Config config, string key, string fullPath)
    {
        if (!config.HasPath(key)) throw new ConfigurationException(fullPath, $"{fullPath} is missing (expected a configuration section)");
        var value = config.GetValue(key);
        if (!value.IsObject()) throw new ConfigurationException(fullPath, $"{fullPath}: expected a configuration section (an object), found {value.ToString().Trim()}");
        return config.GetConfig(key);
    }
}
