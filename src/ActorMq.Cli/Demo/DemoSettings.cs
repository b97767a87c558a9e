using ActorMq.Settings;
using Akka.Configuration;

namespace ActorMq.Cli.Demo;

/// <summary>The demo's own settings, from <c>actormq-demo</c> in hocon/samples/demo.conf (see the comments there).</summary>
internal sealed record DemoSettings(
    int Orders, int Producers, TimeSpan PublishDuration, int PoisonOrders,
    double FailOnce, double FailTwice, double FailThreeTimes, double FailUntilFixed,
    int Seed, TimeSpan RefreshInterval, TimeSpan PlainInterval, TimeSpan SettleTimeout)
{
    /// <summary>The HOCON section.</summary>
    public const string Section = "actormq-demo";

    /// <summary>The consumer (key under <c>actormq.consumers</c>) the demo's handler serves.</summary>
    public const string Consumer = "orders";

    /// <summary>The embedded demo.conf.</summary>
    public static Config Embedded()
    {
        using var stream = typeof(DemoSettings).Assembly.GetManifestResourceStream("ActorMq.Cli.Demo.demo.conf")
            ?? throw new InvalidOperationException("demo.conf is not embedded in the actormq command");
        using var reader = new StreamReader(stream);
        return HoconFiles.Parse(reader.ReadToEnd(), "demo.conf (embedded)");
    }

    /// <summary>Reads and checks <c>actormq-demo</c>.</summary>
    /// <exception cref="ConfigurationException">A value is missing or out of range; names the path and where it was set.</exception>
    public static DemoSettings Create(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var settings = new DemoSettings(
            Read(config, "orders", c => c.GetInt($"{Section}.orders")),
            Read(config, "producers", c => c.GetInt($"{Section}.producers")),
            Read(config, "publish-duration", c => c.GetTimeSpan($"{Section}.publish-duration")),
            Read(config, "poison-orders", c => c.GetInt($"{Section}.poison-orders")),
            Read(config, "flaky.fail-once", c => c.GetDouble($"{Section}.flaky.fail-once")),
            Read(config, "flaky.fail-twice", c => c.GetDouble($"{Section}.flaky.fail-twice")),
            Read(config, "flaky.fail-three-times", c => c.GetDouble($"{Section}.flaky.fail-three-times")),
            Read(config, "flaky.fail-until-fixed", c => c.GetDouble($"{Section}.flaky.fail-until-fixed")),
            Read(config, "seed", c => c.GetInt($"{Section}.seed")),
            Read(config, "refresh-interval", c => c.GetTimeSpan($"{Section}.refresh-interval")),
            Read(config, "plain-interval", c => c.GetTimeSpan($"{Section}.plain-interval")),
            Read(config, "settle-timeout", c => c.GetTimeSpan($"{Section}.settle-timeout")));
        Require(config, "orders", settings.Orders >= 1, "an integer >= 1");
        Require(config, "producers", settings.Producers >= 1, "an integer >= 1");
        Require(config, "poison-orders", settings.PoisonOrders >= 0 && settings.PoisonOrders <= settings.Orders, "an integer from 0 to orders");
        Require(config, "publish-duration", settings.PublishDuration > TimeSpan.Zero, "a duration > 0");
        Require(config, "refresh-interval", settings.RefreshInterval > TimeSpan.Zero, "a duration > 0");
        Require(config, "plain-interval", settings.PlainInterval > TimeSpan.Zero, "a duration > 0");
        Require(config, "settle-timeout", settings.SettleTimeout > TimeSpan.Zero, "a duration > 0");
        foreach (var (key, share) in new[] { ("fail-once", settings.FailOnce), ("fail-twice", settings.FailTwice), ("fail-three-times", settings.FailThreeTimes), ("fail-until-fixed", settings.FailUntilFixed) })
            Require(config, $"flaky.{key}", share is >= 0 and <= 1, "a share from 0 to 1");
        Require(config, "flaky", settings.FailOnce + settings.FailTwice + settings.FailThreeTimes + settings.FailUntilFixed <= 1.0 + 1e-9, "shares summing to at most 1");
        return settings;
    }

    private static T Read<T>(Config config, string key, Func<Config, T> get)
    {
        try
        {
            return get(config);
        }
        catch (Exception e) when (e is FormatException or OverflowException or NotSupportedException)
        {
            throw new ConfigurationException($"{Section}.{key}", $"{Section}.{key}: {e.Message}", e);
        }
    }

    private static void Require(Config config, string key, bool ok, string expected)
    {
        if (ok) return;
        var path = $"{Section}.{key}";
        throw new ConfigurationException(path, $"invalid value at '{path}': expected {expected}, found '{config.GetValue(path)?.ToString().Trim()}'");
    }
}
