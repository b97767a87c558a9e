using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ActorMq.Hosting.Tests.Hosting;

/// <summary>
/// Base of the Akka.Hosting.TestKit specs against the real broker: the TestKit's host runs <c>AddAkka</c> with
/// <see cref="ActorMqHostingExtensions.WithActorMq(AkkaConfigurationBuilder, ActorMqOptions)"/> on this class's virtual
/// host, a temporary SQLite dead store, <see cref="ActorMqServiceCollectionExtensions.AddActorMqClient"/> and ASP.NET's
/// health check service, as an application has them.
/// </summary>
public abstract class ActorMqHostSpec : Akka.Hosting.TestKit.TestKit
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actormq-hosting.").FullName;

    protected ActorMqHostSpec(BrokerFixture broker, ITestOutputHelper output) : base(output: output)
    {
        Broker = broker;
        DeadStorePath = Path.Combine(_directory, "dead.db");
    }

    protected BrokerFixture Broker { get; }

    protected string DeadStorePath { get; }

    /// <summary>The consumers, handlers and options of the test.</summary>
    protected abstract void ConfigureActorMq(ActorMqOptions options);

    /// <summary>The test's own services.</summary>
    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    protected override void ConfigureServices(HostBuilderContext context, IServiceCollection services)
    {
        services.AddActorMqClient();
        services.AddHealthChecks();
        ConfigureTestServices(services);
    }

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        builder.AddHocon("actormq.connection { min-backoff = 100ms, max-backoff = 1s }", HoconAddMode.Prepend);
        builder.WithActorMq(options =>
        {
            options.ConnectionUris = [Broker.AmqpUri.ToString()];
            options.DeadStoreSqlitePath = DeadStorePath;
            options.WaitUntilReady = true;
            ConfigureActorMq(options);
        });
    }

    /// <summary>The host's health report (ASP.NET's <see cref="HealthCheckService"/>, fed by Akka.Hosting's checks).</summary>
    protected Task<HealthReport> CheckHealthAsync() => Host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    protected override async Task AfterAllAsync()
    {
        await base.AfterAllAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a store file still open on a slow stop; the temp directory is cleaned by the OS
        }
    }
}
