using System.Net;
using ActorMq.DeadStore;
using Akka.Configuration;
using ActorMq.TestKit.Broker;
using ActorMq.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ActorMq.Admin.Tests;

/// <summary>A refund, the message of the test consumer.</summary>
public sealed record Refund(string Id, decimal Amount);

/// <summary>
/// Base of the admin tests against the real broker: a TestKit system for this class's virtual host, a temporary SQLite
/// dead store, a consumer whose handler fails until <see cref="Fixed"/> (a negative amount with an
/// <see cref="ArgumentException"/>, others with an <see cref="InvalidOperationException"/>; one attempt, so each failure
/// is a dead letter at once), and the admin page mounted in a WebApplication on a free loopback port.
/// </summary>
public abstract class AdminSpec : ActorMqTestKit
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("actormq-admin-spec.").FullName;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _handled = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> _tenants = new();

    protected AdminSpec(RabbitMqFixture broker, ITestOutputHelper output, string? config = null)
        : base(ConfigurationFactory.ParseString(config ?? "").WithFallback(BaseConfig(broker)), output)
    {
        Broker = broker;
        DeadStorePath = Path.Combine(_directory, "dead.db");
    }

    protected RabbitMqFixture Broker { get; }


    protected string DeadStorePath { get; }

    /// <summary>The consumer's name and queue: one per test (a test class shares a virtual host).</summary>
    protected string Queue { get; } = "refunds-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>While false the handler fails every message.</summary>
    protected volatile bool Fixed;

    /// <summary>When true, negative refunds fail even once <see cref="Fixed"/> (their own fault, not the service's).</summary>
    protected volatile bool NegativeStillFails;

    /// <summary>The <c>tenant</c> header each handled refund carried.</summary>
    protected IReadOnlyDictionary<string, string?> Tenants => _tenants;

    /// <summary>Refund ids the handler completed, with how often.</summary>
    protected IReadOnlyDictionary<string, int> Handled => _handled;

    /// <summary>A temporary directory of this test (deleted after it).</summary>
    protected string ArtifactDirectory => _directory;

    /// <summary>Starts ActorMq with the refunds consumer and waits until it consumes.</summary>
    protected async Task<ActorMqClient> StartClientAsync()
    {
        var client = await ActorMqClient.StartAsync(Sys, ConfigurationFactory.ParseString($"actormq.dead-store.sqlite.path = \"{DeadStorePath}\""),
            b => b.AddHandler<Refund>(Queue, (refund, context, _) =>
            {
                if (!Fixed) throw refund.Amount < 0 ? new ArgumentException($"negative refund {refund.Amount}") : new InvalidOperationException("refund service down");
                if (NegativeStillFails && refund.Amount < 0) throw new ArgumentException($"negative refund {refund.Amount}");
                _tenants[refund.Id] = context.Headers.TryGetValue("tenant", out var tenant)
                    ? tenant is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : tenant?.ToString()
                    : null;
                _handled.AddOrUpdate(refund.Id, 1, (_, n) => n + 1);
                return Task.CompletedTask;
            }));
        using var cts = new CancellationTokenSource(Dilated(TimeSpan.FromSeconds(60)));
        await client.WaitUntilReadyAsync(cts.Token);
        return client;
    }

    /// <summary>Publishes one refund per amount (ids r-1, r-2, ...) and waits until each is dead-lettered.</summary>
    protected async Task<IReadOnlyList<long>> DeadLetterAsync(ActorMqClient client, params decimal[] amounts)
    {
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        try
        {
            for (var i = 0; i < amounts.Length; i++)
                await client.SendAsync(Queue, new Refund($"r-{i + 1}", amounts[i]), new PublishOptions { MessageId = $"r-{i + 1}", Headers = new Dictionary<string, object?> { ["tenant"] = "acme" } });
            // Dead-lettered in any order (handlers run concurrently): ids[i] is the row of amounts[i].
            var byMessage = new Dictionary<string, long>();
            for (var i = 0; i < amounts.Length; i++)
            {
                var dead = await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30)));
                byMessage[dead.MessageId!] = dead.Id;
            }
            return [.. Enumerable.Range(1, amounts.Length).Select(i => byMessage[$"r-{i}"])];
        }
        finally
        {
            Sys.EventStream.Unsubscribe(TestActor, typeof(MessageDeadLettered));
        }
    }

    /// <summary>The admin page mounted at <paramref name="prefix"/> in a WebApplication on 127.0.0.1 and a free port.</summary>
    protected async Task<AdminApp> StartAdminAsync(ActorMqClient client, string prefix = "/actormq", AdminSettings? settings = null, string urls = "http://127.0.0.1:0")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        ToTestLogs(builder.Logging);
        var app = builder.Build();
        app.MapActorMqAdmin(prefix, o =>
        {
            o.Client = client;
            o.Settings = settings;
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new AdminApp(app, new Uri(address.TrimEnd('/') + prefix.TrimEnd('/') + "/"));
    }

    /// <summary>Sends a web application's logs to this test's <c>Logs</c> (and output) only.</summary>
    protected void ToTestLogs(ILoggingBuilder logging) => logging.ClearProviders().AddProvider(new ForwardingLoggerProvider(Logs));

    /// <summary>An HttpClient for <paramref name="admin"/> that keeps cookies (the anti-forgery cookie).</summary>
    protected static HttpClient HttpFor(AdminApp admin, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = true }) { BaseAddress = admin.Root };

    /// <summary>The log lines of category ActorMq.Admin.</summary>
    protected IReadOnlyList<LogEntry> AdminLogs() => Logs.Since(0).Where(e => e.Category == "ActorMq.Admin").ToList();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        try { System.IO.Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }

    private static Config BaseConfig(RabbitMqFixture broker) => ConfigurationFactory.ParseString($$"""
        actormq {
          connection {
            uris = ["{{broker.AmqpUri}}"]
            min-backoff = 100ms
            max-backoff = 2s
          }
          consumer-defaults.retry { delays = [100ms], max-attempts = 1 }
          admin.refresh-interval = 500ms
        }
        """);
}

/// <summary>A running WebApplication with the admin page at <see cref="Root"/>.</summary>
public sealed class AdminApp(WebApplication app, Uri root) : IAsyncDisposable
{
    /// <summary>The page's URL, ending in a slash; the API is under <c>api/</c>.</summary>
    public Uri Root { get; } = root;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>Hands every logger to a logger factory (a TestKit's captured logs).</summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory factory) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

    public void Dispose() { }
}
