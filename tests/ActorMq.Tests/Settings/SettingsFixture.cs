using ActorMq.Hocon;

namespace ActorMq.Tests.Settings;

/// <summary>Builds a configuration the way ActorMq loads one: the given text as application.conf over reference.conf.</summary>
internal static class Conf
{
    public static Config Of(string application) =>
        ConfigFactory.ParseString(application, new ConfigParseOptions { OriginDescription = "application.conf" })
            .WithFallback(ConfigFactory.DefaultReference())
            .Resolve();
}
