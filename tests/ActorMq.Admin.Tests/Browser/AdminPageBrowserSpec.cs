using ActorMq.DeadStore;
using ActorMq.TestKit.Broker;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.Admin.Tests.Browser;

/// <summary>The admin page in a real browser (headless chromium): what an operator sees and clicks.</summary>
public sealed class AdminPageBrowserSpec(RabbitMqFixture broker, ChromiumFixture chromium, ITestOutputHelper output)
    : AdminBrowserSpec(broker, chromium, output), IClassFixture<RabbitMqFixture>, IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Overview_shows_the_link_connected_the_consumer_and_the_live_chart()
    {
        var client = await StartClientAsync();
        await DeadLetterAsync(client, 1m, -2m);
        await using var admin = await StartAdminAsync(client);
        var page = await OpenAsync(admin, "overview");
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("link-state")).ToHaveTextAsync("Connected", Patiently);

        Fixed = true;
        for (var i = 0; i < 40; i++) await client.SendAsync(Queue, new Refund($"ok-{i}", i));

        var consumer = page.Locator($"[data-testid=consumers] tr[data-consumer='{Queue}']");
        await Microsoft.Playwright.Assertions.Expect(consumer).ToContainTextAsync("Consuming", new() { Timeout = 30_000 });
        await Microsoft.Playwright.Assertions.Expect(page.Locator($"[data-testid=queues] tr[data-queue='{Queue}']")).ToBeVisibleAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#total-dead")).ToHaveTextAsync("2", Patiently);
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#total-handled")).ToHaveTextAsync("40", Patiently);
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("dead-waiting")).ToHaveTextAsync("2", Patiently);
        var chart = page.GetByTestId("rate-chart");
        await Microsoft.Playwright.Assertions.Expect(chart).ToBeVisibleAsync();
        Assert.True((await chart.BoundingBoxAsync())!.Width > 600);
        // The page drew the handled rate itself: the canvas holds pixels of the handled line's green above the zero line
        // (at zero the dead-lettered line, drawn last, covers it).
        await AwaitConditionAsync(() => page.EvaluateAsync<bool>("""
            () => {
              const c = document.getElementById('rate-chart');
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              for (let i = 0; i < d.length; i += 4)
                if (d[i + 3] > 200 && Math.abs(d[i] - 22) < 30 && Math.abs(d[i + 1] - 163) < 30 && Math.abs(d[i + 2] - 74) < 30) return true;
              return false;
            }
            """), Dilated(TimeSpan.FromSeconds(30)), "the chart shows no handled rate");
        await ScreenshotAsync(page, "overview");
    }

    [Fact]
    public async Task Dead_letters_filter_by_error_type_and_text()
    {
        var client = await StartClientAsync();
        await DeadLetterAsync(client, 10m, -20m, 30m, -40m, 50m);
        await using var admin = await StartAdminAsync(client);
        var page = await OpenAsync(admin, "dead-letters");
        await Microsoft.Playwright.Assertions.Expect(Rows(page)).ToHaveCountAsync(5, new() { Timeout = 30_000 });

        await page.GetByTestId("filter-error-type").SelectOptionAsync(typeof(ArgumentException).FullName!);
        await page.GetByTestId("filter-apply").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(Rows(page)).ToHaveCountAsync(2);
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("page-info")).ToHaveTextAsync("1–2 of 2 dead letters");

        await page.GetByTestId("filter-text").FillAsync("refund -40");
        await page.GetByTestId("filter-apply").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(Rows(page)).ToHaveCountAsync(1);
        await Microsoft.Playwright.Assertions.Expect(Rows(page).First).ToContainTextAsync("negative refund -40");

        await page.GetByTestId("filter-clear").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(Rows(page)).ToHaveCountAsync(5);
        await ScreenshotAsync(page, "dead-letters-filtered");
    }

    [Fact]
    public async Task Replay_one_first_is_a_single_click_and_the_row_shows_it_replayed()
    {
        var client = await StartClientAsync();
        var ids = await DeadLetterAsync(client, 12.5m, -3m, 99m, -7m, 42m, 8m);
        Fixed = true; // the handler is fixed
        await using var admin = await StartAdminAsync(client);
        var page = await OpenAsync(admin, "dead-letters");
        await Microsoft.Playwright.Assertions.Expect(Rows(page)).ToHaveCountAsync(6, new() { Timeout = 30_000 });

        await page.GetByTestId("replay-one").ClickAsync();

        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("banner")).ToContainTextAsync("Replayed 1 message");
        // Replayed, then resolved once the consumer reported the copy handled (the list looks again by itself).
        var replayed = page.Locator("[data-testid=dead-letters] tbody tr[data-state=resolved]");
        await Microsoft.Playwright.Assertions.Expect(replayed).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Microsoft.Playwright.Assertions.Expect(replayed).ToHaveAttributeAsync("data-id", ids.Min().ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Microsoft.Playwright.Assertions.Expect(replayed).ToContainTextAsync("copy handled");
        await AwaitConditionAsync(() => Handled.Count == 1, Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(DeadLetterState.Resolved, (await client.DeadLetterStore.GetAsync(ids.Min()))!.State);
        await ScreenshotAsync(page, "dead-letters");

        await replayed.ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("detail")).ToBeVisibleAsync();
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("detail-body")).ToContainTextAsync("\"r-1\"");
        await page.GetByTestId("body-hex").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("detail-body")).ToContainTextAsync("00000000  7b");
        await ScreenshotAsync(page, "dead-letter-detail");
    }

    [Fact]
    public async Task Purge_asks_for_confirmation_then_deletes_the_matching_rows()
    {
        var client = await StartClientAsync();
        await DeadLetterAsync(client, 1m, -2m, 3m);
        await using var admin = await StartAdminAsync(client);
        var page = await OpenAsync(admin, "dead-letters");
        await Microsoft.Playwright.Assertions.Expect(Rows(page)).ToHaveCountAsync(3, new() { Timeout = 30_000 });

        await page.GetByTestId("purge").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("confirm")).ToBeVisibleAsync();
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("confirm")).ToContainTextAsync("3 rows");
        await ScreenshotAsync(page, "purge-confirmation");
        await page.GetByTestId("confirm-cancel").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("confirm")).ToBeHiddenAsync();
        Assert.Equal(3, (await client.DeadLetterStore.ListAsync(new DeadLetterQuery { Limit = 10 })).Total);

        await page.GetByTestId("purge").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();

        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("banner")).ToHaveTextAsync("Deleted 3 dead letters.");
        await Microsoft.Playwright.Assertions.Expect(Rows(page)).ToHaveCountAsync(0);
        Assert.Equal(0, (await client.DeadLetterStore.ListAsync(new DeadLetterQuery { Limit = 10 })).Total);
        Assert.Contains(AdminLogs(), e => e.Message == "Admin purge by loopback: filter (all): 3 deleted");
    }

    [Fact]
    public async Task A_post_from_the_page_without_the_antiforgery_header_is_refused()
    {
        var client = await StartClientAsync();
        await DeadLetterAsync(client, 1m);
        await using var admin = await StartAdminAsync(client);
        var page = await OpenAsync(admin, "dead-letters");
        await Microsoft.Playwright.Assertions.Expect(Rows(page)).ToHaveCountAsync(1, new() { Timeout = 30_000 });

        // The browser holds the anti-forgery cookie; a request without the header (as a forged form would be) is refused.
        var status = await page.EvaluateAsync<int>("async () => (await fetch('/actormq/api/dead-letters/purge', " +
            "{ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status");

        Assert.Equal(400, status);
        Assert.Equal(1, (await client.DeadLetterStore.ListAsync(new DeadLetterQuery { Limit = 10 })).Total);
    }
}
