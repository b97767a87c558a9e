using ActorMq.Hocon;
using ActorMq.Topology;

namespace ActorMq.Settings;

/// <summary>
/// Reads one HOCON section for a settings record and turns every problem into a <see cref="ConfigurationException"/>
/// whose message names the full path, where the value was defined (file:line) and what was expected.
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
        if (!config.HasPath(path)) throw new ConfigurationException(path, $"{path} is missing (expected a configuration section; is reference.conf loaded as the fallback?)");
        return new SettingsReader(Wrap(path, () => config.GetConfig(path)), path);
    }

    /// <summary>A reader of <paramref name="path"/> layered over the templates at <paramref name="templatePaths"/> (the first wins).</summary>
    public static SettingsReader Layered(Config config, string path, params string[] templatePaths)
    {
        var layered = config.HasPath(path) ? Wrap(path, () => config.GetConfig(path)) : ConfigFactory.ParseString("");
        foreach (var templatePath in templatePaths) layered = layered.WithFallback(For(config, templatePath)._config);
        return new SettingsReader(layered, path);
    }

    /// <summary>The names directly under <paramref name="path"/> (an object), in definition order; none when absent.</summary>
    public static IReadOnlyList<string> Keys(Config config, string path) =>
        config.HasPath(path) ? Wrap(path, () => config.GetConfig(path)).Root.Keys.ToList() : [];

    /// <summary>Quotes a key for use inside a path when it contains characters HOCON paths treat specially.</summary>
    public static string Quote(string key) =>
        key.Length > 0 && key.All(c => char.IsLetterOrDigit(c) || c is '-' or '_') ? key : "\"" + key.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>The full HOCON path of <paramref name="key"/>.</summary>
    public string PathOf(string key) => $"{_path}.{key}";

    /// <summary>A sub-section.</summary>
    public SettingsReader Section(string key) => new(Get(key, () => _config.GetConfig(key)), PathOf(key));

    /// <summary>The names directly under <paramref name="key"/>.</summary>
    public IReadOnlyList<string> KeysOf(string key) => Keys(_config, key);

    /// <summary>Entry <paramref name="name"/> of object <paramref name="key"/>, layered over the template <paramref name="templateKey"/>.</summary>
    public SettingsReader Entry(string key, string name, string templateKey)
    {
        var entryPath = $"{key}.{Quote(name)}";
        var own = Get(entryPath, () => _config.GetConfig(entryPath));
        var template = Get(templateKey, () => _config.GetConfig(templateKey));
        return new SettingsReader(own.WithFallback(template), PathOf(entryPath));
    }

    public string String(string key) => Get(key, () => _config.GetString(key));

    public bool Bool(string key) => Get(key, () => _config.GetBoolean(key));

    public int Int(string key, int min, int max)
    {
        var value = Get(key, () => _config.GetLong(key));
        if (value < min || value > max) throw Invalid(key, max == int.MaxValue ? $"an integer >= {min}" : $"an integer between {min} and {max}");
        return (int)value;
    }

    public double Double(string key, double min, double max)
    {
        var value = Get(key, () => _config.GetDouble(key));
        if (double.IsNaN(value) || value < min || value > max) throw Invalid(key, $"a number between {min} and {max}");
        return value;
    }

    public long Bytes(string key, long min, long max)
    {
        var value = Get(key, () => _config.GetBytes(key));
        if (value < min || value > max) throw Invalid(key, $"a size between {min} and {max} bytes");
        return value;
    }

    public TimeSpan Duration(string key, bool positive)
    {
        var value = Get(key, () => _config.GetTimeSpan(key));
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

    public IReadOnlyList<string> StringList(string key) => Get(key, () => _config.GetStringList(key)).ToList();

    /// <summary>A non-empty list of delays, each a positive whole number of milliseconds.</summary>
    public IReadOnlyList<TimeSpan> DelayList(string key)
    {
        var delays = Get(key, () => _config.GetTimeSpanList(key)).ToList();
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

    /// <summary>An argument table (object of strings, numbers and booleans) for a declaration.</summary>
    public IReadOnlyDictionary<string, object?> Arguments(string key)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (!_config.HasPath(key)) return arguments;
        var section = Get(key, () => _config.GetConfig(key));
        foreach (var (name, value) in section.Root)
        {
            arguments[name] = value is ConfigPrimitive primitive
                ? ArgumentValue(primitive) ?? throw Invalid($"{key}.{Quote(name)}", "a string, number or boolean argument value")
                : throw Invalid($"{key}.{Quote(name)}", "a string, number or boolean argument value");
        }
        return arguments;
    }

    // Integers stay 64-bit integers (RabbitMQ wants x-max-length, x-message-ttl... as integers), other numbers doubles.
    private static object? ArgumentValue(ConfigPrimitive primitive) => primitive.ValueType switch
    {
        ConfigValueType.String => primitive.Text,
        ConfigValueType.Boolean => primitive.Text == "true",
        ConfigValueType.Number when long.TryParse(primitive.Text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var integer) => integer,
        ConfigValueType.Number => double.Parse(primitive.Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>A <see cref="ConfigurationException"/> for <paramref name="key"/>: path, origin, found value (unless <paramref name="secret"/>), expectation.</summary>
    public ConfigurationException Invalid(string key, string expected, bool secret = false)
    {
        var path = PathOf(key);
        string found, origin;
        try
        {
            var value = _config.GetValue(key);
            found = secret ? "(value hidden)" : value is ConfigPrimitive p ? $"'{p.Text}'" : value.ToJson();
            origin = value.Origin.ToString();
        }
        catch (ConfigException)
        {
            found = "nothing";
            origin = "(not set)";
        }
        return new ConfigurationException(path, $"{path} at {origin}: expected {expected}, found {found}");
    }

    private T Get<T>(string key, Func<T> read) => Wrap(PathOf(key), read);

    private static T Wrap<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ConfigException e)
        {
            throw new ConfigurationException(path, $"{path}: {e.Message}", e);
        }
    }
}
