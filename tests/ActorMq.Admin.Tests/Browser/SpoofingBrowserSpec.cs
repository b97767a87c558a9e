using ActorMq.DeadStore;
using ActorMq.TestKit.Broker;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.Admin.Tests.Browser;

/// <summary>Dead letters whose names were crafted to mislead: bidi overrides, zero-width characters, a 100k-character name.</summary>
public sealed class SpoofingBrowserSpec(RabbitMqFixture broker, ChromiumFixture chromium, ITestOutputHelper output)
    : AdminSpec(broker, output), IClassFixture<RabbitMqFixture>, IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private IBrowserContext? _context;

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_context is not null) await _context.CloseAsync();
        await Sys.Terminate();
    }

    [Fact]
    public async Task Bidi_and_zero_width_characters_show_as_escapes_and_a_huge_name_is_cut_with_the_full_value_on_hover()
    {
        var client = await StartClientAsync();
        await client.DeadLetterStore.InitializeAsync();
        var huge = "q" + new string('w', 100_000);
        foreach (var queue in new[] { "orders\u202Egnp.exe", "pay\u200Bments", huge })
            await client.DeadLetterStore.AddAsync(new DeadLetter
            {
                Queue = queue, ErrorType = "System.Exception", ErrorMessage = "boom", DeadAt = DateTimeOffset.UtcNow, FirstFailedAt = DateTimeOffset.UtcNow,
            });
        await using var admin = await StartAdminAsync(client);
        _context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        var page = await _context.NewPageAsync();
        await page.GotoAsync(new Uri(admin.Root, "#/dead-letters").ToString());

        var cells = page.Locator("[data-testid=dead-letters] tbody td[data-testid=queue]");
        await Microsoft.Playwright.Assertions.Expect(cells).ToHaveCountAsync(3, new() { Timeout = 30_000 });
        var texts = await cells.AllInnerTextsAsync();
        Assert.Contains(@"orders\u202Egnp.exe", texts);
        Assert.Contains(@"pay\u200Bments", texts);
        Assert.DoesNotContain(texts, t => t.Contains('\u202E') || t.Contains('\u200B'));
        var cut = Assert.Single(texts, t => t.StartsWith("qwww", StringComparison.Ordinal));
        Assert.True(cut.Length <= 80 && cut.EndsWith('…'), cut);
        var title = await cells.Locator("span.cut").GetAttributeAsync("title");
        Assert.StartsWith("qwwww", title);
        Assert.True(title!.Length > 1000);
        // The table stays within the window: one huge name no longer pushes the other columns off screen.
        var table = await page.GetByTestId("dead-letters").BoundingBoxAsync();
        Assert.True(table!.Width <= 1440, $"table {table.Width}px wide");
    }
}
