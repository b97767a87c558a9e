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

    /// <summary>A full-page screenshot into the test results' screenshots folder (the README's come from there).</summary>
    protected static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ChromiumFixture.ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <summary>The rows of the dead-letter list.</summary>
    protected static ILocator Rows(IPage page) => page.Locator("[data-testid=dead-letters] tbody tr");

    protected async Task<IPage> OpenAsync(AdminApp admin, string view, int width = 1440, int height = 900)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
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
