using ActorMq.TestKit.Broker;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.Admin.Tests.Browser;

/// <summary>
/// Base of the admin page's browser tests: <see cref="AdminSpec"/> with headless chromium pages (1440×900) whose console
/// and errors go to the test output, closed with the test.
/// </summary>
public abstract class AdminBrowserSpec(RabbitMqFixture broker, ChromiumFixture chromium, ITestOutputHelper output, string? config = null)
    : AdminSpec(broker, output, config), IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];

    protected static readonly LocatorAssertionsToHaveTextOptions Patiently = new() { Timeout = 30_000 };

    protected async Task<IPage> OpenAsync(AdminApp admin, string view)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        page.Console += (_, message) => Echo($"[browser {message.Type}] {message.Text}");
        page.PageError += (_, error) => Echo($"[browser error] {error}");
        await page.GotoAsync(new Uri(admin.Root, "#/" + view).ToString());
        return page;
    }

    private void Echo(string line)
    {
        try
        {
            Output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // the test has finished
        }
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    /// <summary>Closes this test's browser contexts, then terminates the system (what TestKit's own DisposeAsync does).</summary>
    async Task IAsyncLifetime.DisposeAsync()
    {
        foreach (var context in _contexts) await context.CloseAsync();
        await Sys.Terminate();
    }
}
