using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorMq.Hosting.Tests.Hosting;

/// <summary>
/// Hosts as an application builds them (<see cref="Host.CreateApplicationBuilder()"/> + AddAkka), for what the
/// Akka.Hosting TestKit cannot show: a start that fails, and the configuration before anything starts.
/// </summary>
internal static class PlainHosts
{
    public static IHost Build(Action<AkkaConfigurationBuilder> akka, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddHealthChecks();
        builder.Services.AddActorMqClient();
        builder.Services.AddAkka("plain-host", b => akka(b));
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>The host's health report.</summary>
    public static Task<HealthReport> CheckHealthAsync(this IHost host) => host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
}
