using Akka.Configuration;

namespace ActorMq.Tests.Settings;

/// <summary>Builds a configuration the way ActorMq loads one: the given text as application.conf over reference.conf.</summary>
internal static class Conf
{
    public static Config Of(string application) =>
        ConfigurationFactory.ParseString(application).WithFallback(ActorMqClient.DefaultConfig());
}
