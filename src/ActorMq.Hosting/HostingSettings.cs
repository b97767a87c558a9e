using Akka.Configuration;

namespace ActorMq.Hosting;

/// <summary>The hosting integration's settings, from <c>actormq.hosting</c>.</summary>
/// <param name="WaitUntilReady">Whether start waits until the link is up and every consumer consumes.</param>
/// <param name="ReadyTimeout">How long start waits for readiness.</param>
/// <param name="BufferDegradedRatio">The fraction of the publishers' buffer capacity at which back-pressure is Degraded.</param>
/// <param name="UnhealthyAfter">How long the link may reconnect before its check is Unhealthy; null = never (Degraded).</param>
internal sealed record HostingSettings(bool WaitUntilReady, TimeSpan ReadyTimeout, double BufferDegradedRatio, TimeSpan? UnhealthyAfter)
{
    /// <summary>The HOCON path of this section.</summary>
    public const string Path = "actormq.hosting";

    /// <summary>Reads and validates <c>actormq.hosting</c>.</summary>
    /// <exception cref="ConfigurationException">A value is missing or invalid; the message names the path, file and line.</exception>
    public static HostingSettings Create(Config config)
    {
        var reader = ActorMq.Settings.SettingsReader.For(config, Path);
        var readyTimeout = reader.Duration("ready-timeout", positive: true);
        var ratio = reader.Double("health.buffer-degraded-ratio", 0, 1);
        if (ratio <= 0) throw reader.Invalid("health.buffer-degraded-ratio", "a number > 0 and <= 1");
        return new HostingSettings(reader.Bool("wait-until-ready"), readyTimeout, ratio, reader.DurationOrOff("health.unhealthy-after"));
    }
}
