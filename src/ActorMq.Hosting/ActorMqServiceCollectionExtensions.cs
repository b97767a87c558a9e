using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorMq.Hosting;

/// <summary>Registers ActorMq in a host: <c>builder.Services.AddActorMq(b => b.AddHocon("app.conf").AddHandler&lt;OrderPlaced, OrderHandler&gt;("orders"))</c>.</summary>
public static class ActorMqServiceCollectionExtensions
{
    /// <summary>
    /// Registers one actor system and ActorMq in it, started and stopped by a hosted service: <see cref="ActorSystem"/>,
    /// <see cref="ActorMqClient"/> (available once the host has started), <see cref="IPublisher"/> (usable anywhere; it
    /// waits for the start), <see cref="IActorRegistry"/> / <see cref="ActorRegistry"/>. The kernel and ActorMq log
    /// through the host's <see cref="ILoggerFactory"/>, and ActorMq's meter is created by the host's
    /// <c>IMeterFactory</c> when there is one. Health checks: <c>services.AddHealthChecks().AddActorMq()</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">ActorMq is already registered: a host runs exactly one actor system.</exception>
    public static IServiceCollection AddActorMq(this IServiceCollection services, Action<ActorMqHostingBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(d => d.ServiceType == typeof(ActorMqRuntime)))
            throw new InvalidOperationException("AddActorMq was already called for these services: a host runs exactly one ActorMq actor system; configure it in one call");
        var builder = new ActorMqHostingBuilder();
        configure(builder);

        services.AddSingleton<ActorRegistry>();
        services.AddSingleton<IActorRegistry>(sp => sp.GetRequiredService<ActorRegistry>());
        services.AddSingleton(sp => new ActorMqRuntime(builder, sp, sp.GetRequiredService<ActorRegistry>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => sp.GetRequiredService<ActorMqRuntime>().System);
        services.AddSingleton(sp => sp.GetRequiredService<ActorMqRuntime>().Client);
        services.AddSingleton<IPublisher, HostedPublisher>();
        services.AddHostedService<ActorMqHostedService>();
        return services;
    }
}
