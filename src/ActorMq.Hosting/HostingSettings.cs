using System.Text.RegularExpressions;
using Akka.Configuration;

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
        var reader = ActorMq.Settings.SettingsReader.For(config, Path);
        var systemName = reader.String("system-name");
        if (!SystemNamePattern().IsMatch(systemName))
            throw reader.Invalid("system-name", "letters, digits, '-' and '_', starting with a letter or digit");
        var readyTimeout = reader.Duration("ready-timeout", positive: true);
        var ratio = reader.Double("health.buffer-degraded-ratio", 0, 1);
        if (ratio <= 0) throw reader.Invalid("health.buffer-degraded-ratio", "a number > 0 and <= 1");
        return new HostingSettings(systemName, reader.Bool("wait-until-ready"), readyTimeout, ratio);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex SystemNamePattern();
}
