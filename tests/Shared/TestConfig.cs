using Akka.Configuration;

namespace ActorMq.Tests.Shared;

/// <summary>Configuration as ActorMq reads it: the given HOCON over ActorMq's reference.conf.</summary>
internal static class TestConfig
{
    /// <summary><paramref name="config"/> over reference.conf.</summary>
    public static Config Load(Config config) => config.WithFallback(ActorMqClient.DefaultConfig());

    /// <summary>The HOCON file at <paramref name="path"/> over reference.conf.</summary>
    public static Config Load(string path) => Load(ConfigurationFactory.ParseString(File.ReadAllText(path)));
}
