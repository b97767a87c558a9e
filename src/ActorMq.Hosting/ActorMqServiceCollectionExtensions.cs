using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ActorMq.Hosting;

/// <summary>
/// ActorMq for code outside the actors (controllers, minimal API handlers, hosted services):
/// <c>services.AddActorMqClient()</c> beside <c>services.AddAkka(name, b =&gt; b.WithActorMq(...))</c>.
/// </summary>
public static class ActorMqServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IPublisher"/> (usable from any constructor: before Akka.Hosting has started ActorMq it waits
    /// for the start) and <see cref="ActorMqClient"/> (resolve it once the host has started; earlier it throws an
    /// <see cref="InvalidOperationException"/> saying what to inject instead) of the ActorMq that
    /// <see cref="ActorMqHostingExtensions.WithActorMq(Akka.Hosting.AkkaConfigurationBuilder, ActorMqOptions)"/> starts in the
    /// host's <see cref="ActorSystem"/>. The admin page (<c>MapActorMqAdmin</c>) uses this <see cref="ActorMqClient"/>.
    /// </summary>
    public static IServiceCollection AddActorMqClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IPublisher>(sp => new HostedPublisher(sp.GetRequiredService<ActorSystem>()));
        services.TryAddSingleton(sp =>
        {
            var system = sp.GetRequiredService<ActorSystem>();
            var hosted = HostedClient.For(system);
            return hosted.Current ?? throw new InvalidOperationException(hosted.Failure is { } failure
                ? $"ActorMq failed to start in actor system '{system.Name}': {failure.Message}"
                : $"ActorMqClient is available once Akka.Hosting has started ActorMq in actor system '{system.Name}' (WithActorMq starts it with the actors, " +
                  "during the host's start). In a constructor that runs earlier (a hosted service's), inject IPublisher, which waits for the start, " +
                  "or IRequiredActor<ActorMqPublisher> and use GetAsync.");
        });
        return services;
    }
}
