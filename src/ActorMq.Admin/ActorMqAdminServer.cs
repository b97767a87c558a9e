using Akka.Actor;
using ActorMq.Admin.Security;
using Akka.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorMq.Admin;

/// <summary>
/// The admin page as a process of its own (<c>actormq admin --config app.conf --urls http://127.0.0.1:5080</c>): an
/// actor system and an <see cref="ActorMqClient"/> built from the configuration without consumers (it publishes replays
/// and consumes nothing), and Kestrel serving the page at <c>/</c>.
/// </summary>
public sealed class ActorMqAdminServer : IAsyncDisposable
{
    /// <summary>Where the standalone page listens unless told otherwise.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    private readonly WebApplication _app;
    private readonly ActorSystem _system;

    private ActorMqAdminServer(WebApplication app, ActorSystem system, ActorMqClient client)
    {
        _app = app;
        _system = system;
        Client = client;
    }

    /// <summary>The client the page uses.</summary>
    public ActorMqClient Client { get; }

    /// <summary>The addresses Kestrel listens on (with the real port when <c>:0</c> was asked for).</summary>
    public IReadOnlyList<string> Addresses =>
        _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    /// <summary>
    /// Validates <paramref name="config"/> (the application's HOCON; reference.conf is the fallback), refuses
    /// <paramref name="urls"/> beyond loopback without credentials, starts ActorMq without consumers and the web server.
    /// </summary>
    /// <param name="config">The application configuration (<c>actormq { connection, consumers, dead-store, admin }</c>).</param>
    /// <param name="urls">Kestrel URLs separated by <c>;</c>, e.g. <c>http://127.0.0.1:5080</c>.</param>
    /// <param name="logging">Configures logging (console by default).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ConfigurationException">The configuration is invalid, or the URLs leave loopback without credentials.</exception>
    public static Task<ActorMqAdminServer> StartAsync(Config config, string urls = DefaultUrls, Action<ILoggingBuilder>? logging = null,
        CancellationToken cancellationToken = default) => StartAsync(config, urls, logging, configureWeb: null, cancellationToken);

    /// <summary>
    /// <see cref="StartAsync(Config, string, Action{ILoggingBuilder}?, CancellationToken)"/> with a hook on the web
    /// application's builder (tests force Kestrel's endpoints with it, as an environment's <c>Kestrel__Endpoints</c> would).
    /// </summary>
    internal static async Task<ActorMqAdminServer> StartAsync(Config config, string urls, Action<ILoggingBuilder>? logging,
        Action<WebApplicationBuilder>? configureWeb, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrWhiteSpace(urls);
        var effective = config.WithFallback(ActorMqClient.DefaultConfig());
        var settings = AdminSettings.Create(effective);
        ListenAddresses.EnsureSafe(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), settings);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "actormq-admin", Args = [] });
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseUrls(urls);
        builder.Logging.AddConsole();
        // The page polls every refresh-interval: ASP.NET Core's own lines per request (Information) would bury the audit
        // lines (ActorMq.Admin, Information). Requests are logged once each at Debug under ActorMq.Admin.Requests instead.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging?.Invoke(builder.Logging);
        configureWeb?.Invoke(builder);
        var app = builder.Build();
        var requests = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(AdminLog.RequestsCategory);
        app.Use(async (context, next) =>
        {
            if (!requests.IsEnabled(LogLevel.Debug))
            {
                await next(context).ConfigureAwait(false);
                return;
            }
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                AdminLog.Request(requests, context.Request.Method, Diagnostics.UntrustedText.OneLine(context.Request.Path + context.Request.QueryString, 300),
                    context.Response.StatusCode, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });

        var system = ActorSystem.Create("actormq-admin", effective);
        ActorMqClient? client = null;
        try
        {
            client = await ActorMqClient.StartAsync(system, effective, b => b.WithoutConsumers(), cancellationToken).ConfigureAwait(false);
            var started = client;
            app.MapActorMqAdmin("/", o =>
            {
                o.Client = started;
                o.Settings = settings;
            });
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var server = new ActorMqAdminServer(app, system, client);
            // Kestrel may listen elsewhere than asked (its Endpoints configuration overrides the URLs): what counts is
            // where it listens now. Refused there, the start fails — never a "listening" line for a page that has stopped.
            ListenAddresses.EnsureSafe(server.Addresses, settings);
            AdminLog.Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(AdminLog.Category), string.Join(", ", server.Addresses));
            return server;
        }
        catch
        {
            if (client is not null) await client.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await system.Terminate().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Completes when the web server stops (Ctrl-C, SIGTERM) or <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the web server, then ActorMq (flushing replays in flight) and the actor system.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await Client.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _system.Terminate().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
