using ActorMq.Tests.Shared;
using ActorMq.Hosting;
using ActorMq.Hosting.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorMq.Tests.Hosting;

/// <summary>
/// Hosts as an application builds them (<see cref="Host.CreateApplicationBuilder()"/>), logging into a
/// <see cref="CapturedLogs"/>, with ActorMq and its health checks. Shared with ActorMq.IntegrationTests.
/// </summary>
internal static class TestHosts
{
    public static IHost Build(CapturedLogs logs, Action<ActorMqHostingBuilder> configure, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(new CapturedLogsProvider(logs));
        builder.Services.AddActorMq(configure);
        builder.Services.AddHealthChecks().AddActorMq();
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>The host's health report.</summary>
    public static Task<HealthReport> CheckHealthAsync(this IHost host) => host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    /// <summary>The host's log entries at <paramref name="level"/> or above.</summary>
    public static IReadOnlyList<LogEntry> AtLeast(this CapturedLogs logs, LogLevel level) => logs.Since(0).Where(e => e.Level >= level).ToList();

    private sealed class CapturedLogsProvider(CapturedLogs logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => logs.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
