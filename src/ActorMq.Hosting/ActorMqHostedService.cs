using Akka.Actor;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorMq.Hosting;

/// <summary>
/// Starts ActorMq in <see cref="StartingAsync"/> (before every hosted service's <c>StartAsync</c>, so they can publish)
/// and stops it in <see cref="StoppedAsync"/> (after every hosted service, the web server included, has stopped, so
/// nothing publishes into a flushed publisher). If the actor system terminates while the host runs, it logs a critical
/// error and stops the host.
/// </summary>
internal sealed class ActorMqHostedService(ActorMqRuntime runtime, IHostApplicationLifetime lifetime, ILogger<ActorMqHostedService> logger)
    : IHostedLifecycleService
{
    private volatile bool _stopping;
    private Task _watch = Task.CompletedTask;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await runtime.StartAsync(cancellationToken).ConfigureAwait(false);
        _watch = WatchTerminationAsync(runtime.System);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        await runtime.StopAsync(cancellationToken).ConfigureAwait(false);
        await _watch.ConfigureAwait(false);
    }

    private async Task WatchTerminationAsync(ActorSystem system)
    {
        await system.WhenTerminated.ConfigureAwait(false);
        if (_stopping) return;
        HostingLog.SystemTerminatedUnexpectedly(logger, system.Name, Akka.Actor.CoordinatedShutdown.Get(system).ShutdownReason?.ToString() ?? "unknown");
        lifetime.StopApplication();
    }
}
