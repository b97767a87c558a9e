using Akka.Actor;

namespace ActorMq.Hosting;

/// <summary>
/// The <see cref="ActorMqClient"/> that <see cref="ActorMqHostingExtensions.WithActorMq(Akka.Hosting.AkkaConfigurationBuilder, ActorMqOptions)"/>
/// started in an actor system, for what lives outside the actors: the injectable <see cref="IPublisher"/> and
/// <see cref="ActorMqClient"/>, and the health checks. An Akka extension, so it lives and dies with its system.
/// </summary>
internal sealed class HostedClient : IExtension
{
    private readonly TaskCompletionSource<ActorMqClient> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ActorMqClient? _client;
    private volatile HostingSettings? _settings;
    private volatile Exception? _failure;

    /// <summary>The started client, or null before the start (and after a failed one).</summary>
    public ActorMqClient? Current => _client;

    /// <summary>The hosting settings the client was started with (null before the start).</summary>
    public HostingSettings? Settings => _settings;

    /// <summary>Why the start failed, or null.</summary>
    public Exception? Failure => _failure;

    /// <summary>Completes with the client once it started; faults when the start failed.</summary>
    public Task<ActorMqClient> WhenStarted => _started.Task;

    /// <summary>The extension of <paramref name="system"/>.</summary>
    public static HostedClient For(ActorSystem system) => system.WithExtension<HostedClient, HostedClientId>();

    public void Started(ActorMqClient client, HostingSettings settings)
    {
        _settings = settings;
        _client = client;
        _started.TrySetResult(client);
    }

    public void StartFailed(Exception failure)
    {
        _failure = failure;
        _started.TrySetException(failure);
    }

    private sealed class HostedClientId : ExtensionIdProvider<HostedClient>
    {
        public override HostedClient CreateExtension(ExtendedActorSystem system) => new();
    }
}
