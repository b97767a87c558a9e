using System.Text.Json;
using ActorMq.DeadStore;
using ActorMq.TestKit.Broker;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.Admin.Tests.Browser;

/// <summary>
/// The DNS-rebinding attack on the default setup (loopback, no credentials), in a real browser: a hostile site's page
/// whose name then resolves to 127.0.0.1 calls "its own" origin — which is now the admin page — to take the anti-forgery
/// token, read the dead letters and purge them.
/// </summary>
public sealed class DnsRebindingBrowserSpec(RabbitMqFixture broker, ChromiumFixture chromium, ITestOutputHelper output)
    : AdminSpec(broker, output), IClassFixture<RabbitMqFixture>, IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        foreach (var context in _contexts) await context.CloseAsync();
        await Sys.Terminate();
    }

    /// <summary>What the hostile page's script does once its name points at 127.0.0.1: every step, with the status it got.</summary>
    private const string Attack = """
        async () => {
          const steps = {};
          const call = async (name, path, options) => {
            try {
              const response = await fetch(path, options);
              steps[name] = { status: response.status, body: (await response.text()).slice(0, 300) };
              return response;
            } catch (e) {
              steps[name] = { status: -1, body: String(e) };
              return null;
            }
          };
          const tokenResponse = await call('antiforgery', '/actormq/api/antiforgery');
          let token = '';
          try { token = tokenResponse && tokenResponse.ok ? JSON.parse(steps.antiforgery.body).token : ''; } catch { }
          await call('page', '/actormq/');
          await call('list', '/actormq/api/dead-letters');
          await call('purge', '/actormq/api/dead-letters/purge', {
            method: 'POST', headers: { 'Content-Type': 'application/json', 'X-ActorMq-Antiforgery': token }, body: '{}' });
          return JSON.stringify(steps);
        }
        """;

    [Fact]
    public async Task A_hostile_page_rebound_to_loopback_gets_neither_the_token_nor_the_dead_letters_and_cannot_purge()
    {
        var client = await StartClientAsync();
        await DeadLetterAsync(client, 1m, -2m);
        await using var admin = await StartAdminAsync(client);
        var context = await chromium.Browser.NewContextAsync();
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        var hostile = $"http://{ChromiumFixture.RebindingHost}:{admin.Root.Port}";
        // The hostile site served this page under its own name; since then its name resolves to 127.0.0.1, so the page's
        // requests to its own origin reach the admin page's port with "Host: evil.test:<port>".
        await page.RouteAsync(hostile + "/cats.html", route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html", Body = "<!doctype html><title>cute cats</title><p>cats</p>",
        }));
        await page.GotoAsync(hostile + "/cats.html");

        var steps = JsonDocument.Parse(await page.EvaluateAsync<string>(Attack)).RootElement;
        Output.WriteLine(steps.ToString());

        foreach (var step in new[] { "antiforgery", "page", "list", "purge" })
            Assert.True(steps.GetProperty(step).GetProperty("status").GetInt32() == 403, $"{step}: {steps.GetProperty(step)}");
        Assert.DoesNotContain("token", steps.GetProperty("antiforgery").GetProperty("body").GetString());
        Assert.DoesNotContain("refund", steps.GetProperty("list").GetProperty("body").GetString());
        var left = await client.DeadLetterStore.ListAsync(new DeadLetterQuery { Limit = 10 });
        Assert.Equal(2, left.Total);
        Assert.Contains(AdminLogs(), e => e.Message.Contains("Host 'evil.test:", StringComparison.Ordinal));

        // The same browser on the real name is served: the refusal is the Host's doing, not the browser's.
        var own = await context.NewPageAsync();
        var response = await own.GotoAsync(new Uri(admin.Root, "api/dead-letters").ToString());
        Assert.Equal(200, response!.Status);
    }
}
