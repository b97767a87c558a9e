using System.Diagnostics.Metrics;
using ActorMq.Hosting.HealthChecks;
using Akka.Actor;
using Akka.DependencyInjection;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorMq.Hosting;

/// <summary>
/// ActorMq in Akka.Hosting: <c>services.AddAkka("orders", b =&gt; b.WithActorMq(o =&gt; o.AddHandler&lt;OrderPlaced, OrderHandler&gt;("orders")))</c>.
/// </summary>
public static class ActorMqHostingExtensions
{
    // The builders ActorMq was added to: a second WithActorMq would start a second client on the same system.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<AkkaConfigurationBuilder, object> Added = [];

    /// <inheritdoc cref="WithActorMq(AkkaConfigurationBuilder, ActorMqOptions)"/>
    public static AkkaConfigurationBuilder WithActorMq(this AkkaConfigurationBuilder builder, Action<ActorMqOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ActorMqOptions();
        configure(options);
        return builder.WithActorMq(options);
    }

    /// <summary>
    /// Adds ActorMq to the host's actor system. Configuration: <paramref name="options"/> become HOCON prepended to the
    /// builder's (they win over HOCON added before this call, and over HOCON appended after it; HOCON prepended after it
    /// wins over them), ActorMq's <c>reference.conf</c> is appended as the fallback. Actors: started with the host's
    /// actors (<see cref="ActorMqClient.StartAsync"/>), the publisher registered in the <see cref="ActorRegistry"/>
    /// under <see cref="ActorMqPublisher"/>; DI handlers are checked first, so a missing service fails the start.
    /// Health checks (Akka.Hosting's): <c>actormq-connection</c>, <c>actormq-consumers</c>, <c>actormq-publisher</c>,
    /// <c>actormq-dead-store</c>, tagged <see cref="ActorMqHealthCheckTags"/>. Stop: Akka's coordinated shutdown stops
    /// consuming, drains the handlers, flushes the publishers and closes the connections. Call it once per host; for
    /// <see cref="IPublisher"/> and <see cref="ActorMqClient"/> in DI add <see cref="ActorMqServiceCollectionExtensions.AddActorMqClient"/>.
    /// </summary>
    /// <exception cref="ConfigurationException">An option has an invalid value (the message names the HOCON path).</exception>
    /// <exception cref="InvalidOperationException">ActorMq was added to this builder already.</exception>
    public static AkkaConfigurationBuilder WithActorMq(this AkkaConfigurationBuilder builder, ActorMqOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if (!Added.TryAdd(builder, options))
            throw new InvalidOperationException(
                "WithActorMq was called twice on this AkkaConfigurationBuilder: call it once, with every consumer and option in that call");
        builder.AddHocon(options.ToConfig(), HoconAddMode.Prepend);
        builder.AddHocon(ActorMqClient.DefaultConfig(), HoconAddMode.Append);
        builder.StartActors(new ActorStarterWithResolver((system, registry, resolver) => StartAsync(options, system, registry, resolver)));

        string[] readiness = [ActorMqHealthCheckTags.ActorMq, ActorMqHealthCheckTags.Readiness];
        builder.WithHealthCheck(ActorMqHealthCheckNames.Connection, new ConnectionHealthCheck(), HealthStatus.Unhealthy,
            [ActorMqHealthCheckTags.ActorMq, ActorMqHealthCheckTags.Liveness, ActorMqHealthCheckTags.Readiness]);
        builder.WithHealthCheck(ActorMqHealthCheckNames.Consumers, new ConsumersHealthCheck(), HealthStatus.Unhealthy, readiness);
        builder.WithHealthCheck(ActorMqHealthCheckNames.Publisher, new PublisherHealthCheck(), HealthStatus.Unhealthy, readiness);
        builder.WithHealthCheck(ActorMqHealthCheckNames.DeadStore, new DeadStoreHealthCheck(), HealthStatus.Unhealthy, readiness);
        return builder;
    }

    private static async Task StartAsync(ActorMqOptions options, ActorSystem system, IActorRegistry registry, IDependencyResolver resolver)
    {
        var services = (IServiceProvider)resolver.GetService(typeof(IServiceProvider));
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("ActorMq.Hosting") ?? NullLogger.Instance;
        var hosted = HostedClient.For(system);
        try
        {
            var settings = HostingSettings.Create(system.Settings.Config);
            foreach (var handler in options.Handlers) HandlerDependencies.Validate(handler, services);
            var client = await ActorMqClient.StartAsync(system, null, builder =>
            {
                if (services.GetService<IMeterFactory>() is { } meterFactory) builder.UseMeterFactory(meterFactory);
                foreach (var handler in options.Handlers) handler.Apply(builder, services);
                foreach (var configure in options.Configurations) configure(builder, services);
            }).ConfigureAwait(false);
            registry.Register<ActorMqPublisher>(client.Publisher);
            hosted.Started(client, settings);
            HostingLog.Started(logger, system.Name, client.Settings.Consumers.Count);
            if (settings.WaitUntilReady) await WaitUntilReadyAsync(client, settings, logger).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            HostingLog.StartFailed(logger, e.Message, e);
            hosted.StartFailed(e);
            throw;
        }
    }

    private static async Task WaitUntilReadyAsync(ActorMqClient client, HostingSettings settings, ILogger logger)
    {
        var timeout = settings.ReadyTimeout;
        HostingLog.WaitingUntilReady(logger, timeout);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await client.WaitUntilReadyAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            var link = await client.GetLinkStateAsync(CancellationToken.None).ConfigureAwait(false);
            var idle = (await client.GetConsumersAsync(CancellationToken.None).ConfigureAwait(false)).Where(c => !c.Consuming).Select(c => $"{c.Consumer} (queue {c.Queue})");
            throw new TimeoutException($"ActorMq was not ready after {timeout} ({HostingSettings.Path}.ready-timeout): the broker link is {link.State}" +
                (link.Reason is null ? "" : $" ({link.Reason})") + $"; consumers not consuming: {string.Join(", ", idle.DefaultIfEmpty("none"))}");
        }
        HostingLog.Ready(logger);
    }
}
