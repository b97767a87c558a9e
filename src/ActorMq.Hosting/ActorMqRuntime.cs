using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorMq.Hosting;

/// <summary>
/// The host's one ActorMq: the actor system (created on first use, with the host's logger factory), the started
/// <see cref="ActorMqClient"/>, and the ordered stop. A singleton; the hosted service drives it.
/// </summary>
internal sealed class ActorMqRuntime
{
    private readonly ActorMqHostingBuilder _builder;
    private readonly IServiceProvider _services;
    private readonly ActorRegistry _registry;
    private readonly ILogger _logger;
    private readonly Lazy<(ActorSystem System, HostingSettings Settings)> _system;
    private readonly TaskCompletionSource<ActorMqClient> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ActorMqClient? _client;

    public ActorMqRuntime(ActorMqHostingBuilder builder, IServiceProvider services, ActorRegistry registry, ILoggerFactory loggerFactory)
    {
        _builder = builder;
        _services = services;
        _registry = registry;
        _logger = loggerFactory.CreateLogger("ActorMq.Hosting");
        // Created once; a configuration error is kept and thrown to every caller.
        _system = new Lazy<(ActorSystem, HostingSettings)>(() =>
        {
            var config = builder.BuildConfig();
            var settings = HostingSettings.Create(config);
            // Akka's log events (ActorMq's included) go to the host's logger factory, the Akka.Hosting way.
            var logging = ConfigurationFactory.ParseString("akka.loggers = [\"Akka.Hosting.Logging.LoggerFactoryLogger, Akka.Hosting\"]");
            var setup = BootstrapSetup.Create().WithConfig(logging.WithFallback(config)).And(new LoggerFactorySetup(loggerFactory));
            return (ActorSystem.Create(settings.SystemName, setup), settings);
        });
    }

    /// <summary>The actor system (created with the effective configuration on first use).</summary>
    /// <exception cref="ConfigurationException">The <c>actormq.hosting</c> or kernel settings are invalid.</exception>
    /// <exception cref="ConfigurationException">A HOCON layer does not parse or is missing.</exception>
    public ActorSystem System => _system.Value.System;

    /// <summary>The hosting settings.</summary>
    public HostingSettings Settings => _system.Value.Settings;

    /// <summary>The registry of actors.</summary>
    public IActorRegistry Registry => _registry;

    /// <summary>Completes with the client once ActorMq has started; faults when the start failed.</summary>
    public Task<ActorMqClient> WhenStarted => _started.Task;

    /// <summary>The started client, or null before the start.</summary>
    public ActorMqClient? CurrentClient => _client;

    /// <summary>The started client.</summary>
    /// <exception cref="InvalidOperationException">ActorMq has not started yet.</exception>
    public ActorMqClient Client => _client ?? throw new InvalidOperationException(
        "ActorMqClient is available once the host has started ActorMq (its hosted service starts it before any other hosted service's StartAsync). " +
        "In a constructor that runs earlier (a hosted service's), inject IPublisher, which waits for the start, or IActorRegistry and use GetAsync.");

    /// <summary>
    /// Creates the actor system, starts ActorMq in it (validating every setting), registers its publisher, runs the
    /// user's actor setups, and waits for readiness when <c>actormq.hosting.wait-until-ready</c> is on. On failure
    /// everything started is stopped again and the exception is rethrown.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ActorSystem? system = null;
        try
        {
            system = System;
            var client = await ActorMqClient.StartAsync(system, null, Configure, cancellationToken).ConfigureAwait(false);
            _client = client;
            _registry.Register<ActorMqPublisher>(client.Publisher);
            foreach (var setup in _builder.ActorSetups) setup(system, _registry, _services);
            _started.TrySetResult(client);
            HostingLog.Started(_logger, system.Name, client.Settings.Consumers.Count);
            if (Settings.WaitUntilReady) await WaitUntilReadyAsync(client, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            HostingLog.StartFailed(_logger, e.Message, e);
            _started.TrySetException(e);
            if (system is not null) await StopAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Stops in order: the client stops consuming and drains its handlers, flushes the publishers and closes the
    /// connections (<see cref="ActorMqClient.StopAsync"/>); then the actor system terminates (its coordinated shutdown,
    /// which finds ActorMq's phases done, then stops every actor). Nothing to do when the system was never created.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_system.IsValueCreated) return; // never started (or its configuration failed): nothing runs
        var system = System;
        HostingLog.Stopping(_logger, system.Name);
        try
        {
            if (_client is { } client && !system.WhenTerminated.IsCompleted) await client.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            HostingLog.StopFailed(_logger, e);
        }
        finally
        {
            await system.Terminate().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        HostingLog.Stopped(_logger, system.Name);
    }

    private void Configure(ActorMqBuilder builder)
    {
        if (_services.GetService<IMeterFactory>() is { } meterFactory) builder.UseMeterFactory(meterFactory);
        foreach (var configure in _builder.Configurations) configure(builder, _services);
    }

    private async Task WaitUntilReadyAsync(ActorMqClient client, CancellationToken cancellationToken)
    {
        var timeout = Settings.ReadyTimeout;
        HostingLog.WaitingUntilReady(_logger, timeout);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await client.WaitUntilReadyAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var link = await client.GetLinkStateAsync(CancellationToken.None).ConfigureAwait(false);
            var idle = (await client.GetConsumersAsync(CancellationToken.None).ConfigureAwait(false)).Where(c => !c.Consuming).Select(c => $"{c.Consumer} (queue {c.Queue})");
            throw new TimeoutException($"ActorMq was not ready after {timeout} ({HostingSettings.Path}.ready-timeout): the broker link is {link.State}" +
                (link.Reason is null ? "" : $" ({link.Reason})") + $"; consumers not consuming: {string.Join(", ", idle.DefaultIfEmpty("none"))}");
        }
        HostingLog.Ready(_logger);
    }
}
