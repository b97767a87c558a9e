using System.Text.RegularExpressions;
using ActorMq.Hocon;

namespace ActorMq.Hosting;

/// <summary>The hosting integration's settings, from <c>actormq.hosting</c>.</summary>
/// <param name="SystemName">The actor system's name.</param>
/// <param name="WaitUntilReady">Whether start waits until the link is up and every consumer consumes.</param>
/// <param name="ReadyTimeout">How long start waits for readiness.</param>
/// <param name="BufferDegradedRatio">The fraction of the publishers' buffer capacity at which back-pressure is Degraded.</param>
internal sealed partial record HostingSettings(string SystemName, bool WaitUntilReady, TimeSpan ReadyTimeout, double BufferDegradedRatio)
{
    /// <summary>The HOCON path of this section.</summary>
    public const string Path = "actormq.hosting";

    /// <summary>Reads and validates <c>actormq.hosting</c>.</summary>
    /// <exception cref="ConfigurationException">A value is missing or invalid; the message names the path, file and line.</exception>
    public static HostingSettings Create(Config config)
    {
        var systemName = Read(config, "system-name", config.GetString);
        if (!SystemNamePattern().IsMatch(systemName))
            throw Invalid(config, "system-name", "letters, digits, '-' and '_', starting with a letter or digit");
        var readyTimeout = Read(config, "ready-timeout", config.GetTimeSpan);
        if (readyTimeout <= TimeSpan.Zero) throw Invalid(config, "ready-timeout", "a duration > 0");
        var ratio = Read(config, "health.buffer-degraded-ratio", config.GetDouble);
        if (double.IsNaN(ratio) || ratio <= 0 || ratio > 1) throw Invalid(config, "health.buffer-degraded-ratio", "a number > 0 and <= 1");
        return new HostingSettings(systemName, Read(config, "wait-until-ready", config.GetBoolean), readyTimeout, ratio);
    }

    private static T Read<T>(Config config, string key, Func<string, T> read)
    {
        var path = $"{Path}.{key}";
        try
        {
            return read(path);
        }
        catch (ConfigException e)
        {
            throw new ConfigurationException(path, $"{path}: {e.Message}", e);
        }
    }

    private static ConfigurationException Invalid(Config config, string key, string expected)
    {
        var path = $"{Path}.{key}";
        var value = config.GetValue(path);
        var found = value is ConfigPrimitive primitive ? $"'{primitive.Text}'" : value.ToJson();
        return new ConfigurationException(path, $"{path} at {value.Origin}: expected {expected}, found {found}");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex SystemNamePattern();
}
