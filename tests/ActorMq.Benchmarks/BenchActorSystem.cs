using Akka.Actor;
using Akka.Configuration;

namespace ActorMq.Benchmarks;

/// <summary>An Akka actor system for one benchmark side, terminated (awaited) when disposed.</summary>
internal sealed class BenchActorSystem(ActorSystem system) : IAsyncDisposable
{
    public ActorSystem System { get; } = system;

    /// <summary>Akka's own log lines only from warnings up: the harness's output is its figures.</summary>
    private static readonly Config Quiet = ConfigurationFactory.ParseString("akka { loglevel = WARNING, stdout-loglevel = WARNING }");

    public static BenchActorSystem Create(string name, Config config) => new(ActorSystem.Create(name, config.WithFallback(Quiet)));

    public async ValueTask DisposeAsync() => await System.Terminate().ConfigureAwait(false);
}
