using ActorMq.DeadStore;
using ActorMq.TestKit.Broker;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ActorMq.Admin.Tests.Browser;

/// <summary>The operator's workbench in chromium: failure groups, a group's dead letters, the filter in the address.</summary>
public sealed class WorkbenchBrowserSpec(RabbitMqFixture broker, ChromiumFixture chromium, ITestOutputHelper output)
    : AdminBrowserSpec(broker, chromium, output), IClassFixture<RabbitMqFixture>, IClassFixture<ChromiumFixture>
{
    private static ILocator Groups(IPage page) => page.Locator("[data-testid=groups] tbody tr");

    /// <summary>Types <paramref name="text"/> into the filter field <paramref name="field"/>, applies it, and expects row <paramref name="id"/> alone.</summary>
    private static async Task ExpectOnlyRowAfterFilteringAsync(IPage page, string field, string text, long id)
    {
        await page.GetByTestId(field).FillAsync(text);
        await page.GetByTestId("filter-apply").ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Rows(page).First).ToHaveAttributeAsync("data-id", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Groups_show_each_cause_with_its_count_and_a_group_opens_replays_one_first_then_the_rest()
    {
        var client = await StartClientAsync();
        var ids = await DeadLetterAsync(client, 1m, -2m, 3m, -4m, 5m);
        await using var admin = await StartAdminAsync(client);
        var page = await OpenAsync(admin, "groups");

        await Expect(Groups(page)).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("group-count")).ToHaveTextAsync(["3", "2"]);
        await Expect(page.GetByTestId("pattern")).ToHaveTextAsync(["refund service down", "negative refund <n>"]);
        await Expect(page.GetByTestId("groups-summary")).ToContainTextAsync("5 dead letters in 2 failure groups");
        var down = page.Locator($"[data-testid=groups] tr[data-group='{await Groups(page).First.GetAttributeAsync("data-group")}']");
        await ScreenshotAsync(page, "failure-groups");

        // Open the negative refunds: their two rows, the group named above the filters, the filter in the address.
        await Groups(page).Nth(1).GetByTestId("group-open").ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("group-chip")).ToContainTextAsync("negative refund <n>");
        Assert.Contains("#/dead-letters?group=", page.Url, StringComparison.Ordinal);
        await page.ReloadAsync();
        await Expect(Rows(page)).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("group-chip")).ToContainTextAsync("negative refund <n>");
        var groupRows = await Rows(page).EvaluateAllAsync<long[]>("rows => rows.map(r => Number(r.dataset.id))");
        Assert.Equal([ids[3], ids[1]], groupRows);

        // The other group: replay one, then the rest.
        Fixed = true;
        await page.GetByTestId("tab-groups").ClickAsync();
        await Expect(Groups(page)).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await down.GetByTestId("group-replay-one").ClickAsync();
        await Expect(page.GetByTestId("groups-banner")).ToContainTextAsync("Replayed 1 message");
        await AwaitConditionAsync(() => Handled.Count == 1, Dilated(TimeSpan.FromSeconds(30)));
        await Expect(down.GetByTestId("group-count")).ToHaveTextAsync("2");
        await down.GetByTestId("group-replay-all").ClickAsync();
        await Expect(page.GetByTestId("confirm")).ToContainTextAsync("2 rows");
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Expect(page.GetByTestId("groups-banner")).ToContainTextAsync("Replayed 2 messages");
        await AwaitConditionAsync(() => Handled.Count == 3, Dilated(TimeSpan.FromSeconds(30)));
        await Expect(Groups(page)).ToHaveCountAsync(1);
        Assert.Equal(["r-1", "r-3", "r-5"], Handled.Keys.Order());
        Assert.Equal(DeadLetterState.Dead, (await client.DeadLetterStore.GetAsync(ids[1]))!.State);
    }

    [Fact]
    public async Task A_message_id_filter_finds_one_row_the_address_keeps_it_for_a_shared_link_and_times_show_in_UTC_anywhere()
    {
        var client = await StartClientAsync();
        var ids = await DeadLetterAsync(client, 1m, -2m, 3m);
        await using var admin = await StartAdminAsync(client);
        var page = await OpenAsync(admin, "dead-letters");
        await Expect(Rows(page)).ToHaveCountAsync(3, new() { Timeout = 30_000 });

        await ExpectOnlyRowAfterFilteringAsync(page, "filter-message-id", "r-2", ids[1]);

        await Expect(Rows(page).First.GetByTestId("message-id")).ToHaveTextAsync("r-2");
        Assert.EndsWith("#/dead-letters?messageId=r-2", page.Url, StringComparison.Ordinal);
        // The colleague's browser is in Tokyo: the times still show in UTC, labelled.
        var shared = await page.Context.Browser!.NewContextAsync(new BrowserNewContextOptions { TimezoneId = "Asia/Tokyo" });
        try
        {
            var other = await shared.NewPageAsync();
            var missing = new List<string>();
            other.Response += (_, response) => { if (response.Status == 404) lock (missing) missing.Add(response.Url); };
            await other.GotoAsync(page.Url);
            await Expect(Rows(other)).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            await Expect(other.GetByTestId("filter-message-id")).ToHaveValueAsync("r-2");
            // The page has its own icon (a data: URL the CSP allows): the browser asks for no /favicon.ico.
            await Expect(other.Locator("link[rel=icon]")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^data:image/svg\\+xml,"));
            lock (missing) Assert.Empty(missing);
            var deadAt = (await client.DeadLetterStore.GetAsync(ids[1]))!.Letter.DeadAt.UtcDateTime;
            await Expect(Rows(other).First.Locator("td").Nth(2)).ToHaveTextAsync(deadAt.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
            await Expect(other.Locator("[data-testid=dead-letters] thead")).ToContainTextAsync("Dead at (UTC)");
        }
        finally
        {
            await shared.DisposeAsync();
        }
    }

    [Fact]
    public async Task Search_finds_rows_by_the_words_of_their_error_and_body_keeps_the_words_in_the_address_and_explains_a_refusal()
    {
        var client = await StartClientAsync();
        var ids = await DeadLetterAsync(client, 1m, -2m, 3m);
        await using var admin = await StartAdminAsync(client);
        var page = await OpenAsync(admin, "dead-letters");
        await Expect(Rows(page)).ToHaveCountAsync(3, new() { Timeout = 30_000 });

        // Words of the error message, in any case.
        await ExpectOnlyRowAfterFilteringAsync(page, "filter-search", "NEGATIVE refund", ids[1]);
        Assert.EndsWith("#/dead-letters?search=NEGATIVE+refund", page.Url, StringComparison.Ordinal);

        // Words of the JSON body ({"id":"r-3","amount":3}), the last one as the start of a word.
        await ExpectOnlyRowAfterFilteringAsync(page, "filter-search", "amount 3", ids[2]);
        await Expect(page.GetByTestId("matching")).ToContainTextAsync("search “amount 3”");
        await ScreenshotAsync(page, "search");

        // A shared link opens the same search.
        var other = await OpenAsync(admin, "dead-letters?search=refund+service+do");
        await Expect(Rows(other)).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Expect(other.GetByTestId("filter-search")).ToHaveValueAsync("refund service do");

        // Nothing to search for: the API refuses, and the page says why.
        await page.GetByTestId("filter-search").FillAsync("--");
        await page.GetByTestId("filter-apply").ClickAsync();
        await Expect(page.GetByTestId("banner")).ToContainTextAsync("search: '--' holds no letter or digit to search for");
    }

    [Fact]
    public async Task A_column_header_sorts_the_rows_the_page_size_changes_and_both_stay_in_the_address()
    {
        var client = await StartClientAsync();
        var ids = await DeadLetterAsync(client, 1m, -2m, 3m);
        await using var admin = await StartAdminAsync(client);
        var page = await OpenAsync(admin, "dead-letters");
        await Expect(Rows(page)).ToHaveCountAsync(3, new() { Timeout = 30_000 });
        Assert.Equal(ids.OrderDescending(), await Rows(page).EvaluateAllAsync<long[]>("rows => rows.map(r => Number(r.dataset.id))"));

        await page.GetByTestId("sort-id").ClickAsync();
        await Expect(page.GetByTestId("sort-id")).ToHaveAttributeAsync("aria-sort", "ascending");
        await AwaitConditionAsync(async () => (await Rows(page).EvaluateAllAsync<long[]>("rows => rows.map(r => Number(r.dataset.id))")).SequenceEqual(ids.Order()),
            Dilated(TimeSpan.FromSeconds(10)), "the rows are not in ascending id order");
        await page.GetByTestId("sort-errorType").ClickAsync();
        await Expect(Rows(page).First).ToContainTextAsync("ArgumentException");
        await page.GetByTestId("page-size").SelectOptionAsync("10");
        await AwaitConditionAsync(() => Task.FromResult(page.Url.EndsWith("#/dead-letters?sort=errorType&dir=asc&size=10", StringComparison.Ordinal)),
            Dilated(TimeSpan.FromSeconds(10)), $"the address does not keep sort and size: {page.Url}");

        await page.ReloadAsync();
        await Expect(page.GetByTestId("sort-errorType")).ToHaveAttributeAsync("aria-sort", "ascending");
        await Expect(page.GetByTestId("page-size")).ToHaveValueAsync("10");
        await Expect(Rows(page).First).ToContainTextAsync("ArgumentException");
    }

    [Theory]
    [InlineData(900, 700)]
    [InlineData(390, 844)]
    public async Task The_layout_holds_at_900_px_and_on_a_phone_and_the_badge_counts_what_the_tab_lists(int width, int height)
    {
        var client = await StartClientAsync();
        var ids = await DeadLetterAsync(client, 1m, -2m, 3m);
        Fixed = true;
        await client.ReplayDeadLettersAsync(DeadLetterFilter.ById(ids[0]));
        await using var admin = await StartAdminAsync(client);
        var page = await OpenAsync(admin, "overview", width, height);

        await Expect(page.GetByTestId("dead-count")).ToHaveTextAsync("2", Patiently);
        await page.GetByTestId("tab-dead-letters").ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("page-info")).ToHaveTextAsync("1–2 of 2 dead letters");
        await Expect(page.GetByTestId("dead-count")).ToHaveTextAsync("2");
        await AssertNoSidewaysScrollAsync(page);
        foreach (var id in new[] { "replay-one", "filter-apply", "tab-groups", "page-size" })
        {
            // On screen or below it (a phone scrolls down to the pager), never cut off at the side.
            var box = await page.GetByTestId(id).BoundingBoxAsync();
            Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= width, $"{id} lies beyond the window's {width} px: {box?.X} + {box?.Width}");
        }
        // No header label or name breaks inside a word.
        var broken = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('th, .tabs a, .btn')].filter(e => e.offsetParent !== null)
              .filter(e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length > 1 && !/\s/.test(e.textContent.trim()); })
              .map(e => e.textContent.trim())
            """);
        Assert.Empty(broken);
        await ScreenshotAsync(page, $"dead-letters-{width}");

        await Rows(page).First.ClickAsync();
        await Expect(page.GetByTestId("detail")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(page);
        await page.GetByTestId("detail-close").ClickAsync();

        await page.GetByTestId("tab-groups").ClickAsync();
        await Expect(Groups(page)).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await AssertNoSidewaysScrollAsync(page);
        await ScreenshotAsync(page, $"failure-groups-{width}");
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        var (scroll, client) = (widths[0], widths[1]);
        Assert.True(scroll <= client, $"the page scrolls sideways: {scroll} px wide in a {client} px window");
    }

    private static ILocator Row(IPage page, long id) =>
        page.Locator($"[data-testid=dead-letters] tbody tr[data-id='{id.ToString(System.Globalization.CultureInfo.InvariantCulture)}']");

    [Fact]
    public async Task Replay_lineage_shows_pending_resolved_and_failed_again_with_links_both_ways()
    {
        var client = await StartClientAsync();
        var ids = await DeadLetterAsync(client, 1m, -2m, 3m);
        Fixed = true;
        NegativeStillFails = true;
        // One row replayed whose copy nobody has handled yet (claimed and marked without a consumer on the other side).
        Assert.Single(await client.DeadLetterStore.ClaimForReplayAsync(DeadLetterFilter.ById(ids[2]), 1, "browser-test"));
        Assert.Equal(1, await client.DeadLetterStore.MarkReplayedAsync([ids[2]], "browser-test"));
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        Assert.Equal(2, (await client.ReplayDeadLettersAsync(DeadLetterFilter.ByIds([ids[0], ids[1]]))).Replayed);
        var again = (await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30)))).Id;
        await AwaitAssertAsync(async () => Assert.Equal(DeadLetterState.Resolved, (await client.DeadLetterStore.GetAsync(ids[0]))!.State),
            Dilated(TimeSpan.FromSeconds(30)));
        await using var admin = await StartAdminAsync(client);
        var page = await OpenAsync(admin, "dead-letters");

        await Expect(Rows(page)).ToHaveCountAsync(4, new() { Timeout = 30_000 });
        await Expect(Row(page, ids[0])).ToHaveAttributeAsync("data-state", "resolved");
        await Expect(Row(page, ids[0]).GetByTestId("lineage")).ToHaveTextAsync("copy handled");
        await Expect(Row(page, ids[1])).ToHaveAttributeAsync("data-state", "failedAgain");
        await Expect(Row(page, ids[1]).GetByTestId("state")).ToHaveTextAsync("failed again");
        await Expect(Row(page, ids[1]).GetByTestId("lineage")).ToHaveTextAsync($"failed again → #{again}");
        await Expect(Row(page, again)).ToHaveAttributeAsync("data-state", "dead");
        await Expect(Row(page, again).GetByTestId("replayed-from")).ToHaveTextAsync($"replay of #{ids[1]}");
        await Expect(Row(page, ids[2])).ToHaveAttributeAsync("data-state", "replayed");
        await Expect(Row(page, ids[2]).GetByTestId("lineage")).ToHaveTextAsync("sent, not yet handled");
        await ScreenshotAsync(page, "replay-lineage");

        // The link opens the row the copy became, and that row's link leads back.
        await Row(page, ids[1]).GetByTestId("lineage").ClickAsync();
        await Expect(page.GetByTestId("detail")).ToBeVisibleAsync();
        await Expect(page.Locator("#detail-title")).ToHaveTextAsync($"Dead letter #{again}");
        await page.GetByTestId("detail").GetByTestId("replayed-from").ClickAsync();
        await Expect(page.Locator("#detail-title")).ToHaveTextAsync($"Dead letter #{ids[1]}");
        await Expect(page.GetByTestId("detail").GetByTestId("lineage")).ToHaveTextAsync($"failed again → #{again}");
    }

    [Fact]
    public async Task Edit_and_replay_changes_the_body_and_a_header_of_the_copy_and_keeps_the_stored_row()
    {
        var client = await StartClientAsync();
        var id = Assert.Single(await DeadLetterAsync(client, -2m));
        Fixed = true;
        NegativeStillFails = true;
        await using var admin = await StartAdminAsync(client);
        var page = await OpenAsync(admin, "dead-letters");
        await Expect(Rows(page)).ToHaveCountAsync(1, new() { Timeout = 30_000 });

        await Row(page, id).ClickAsync();
        await page.GetByTestId("detail-edit").ClickAsync();
        await Expect(page.GetByTestId("editor")).ToBeVisibleAsync();
        var body = await page.GetByTestId("edit-body").InputValueAsync();
        Assert.Contains("-2", body, StringComparison.Ordinal);
        await page.GetByTestId("edit-body").FillAsync(body.Replace("-2", "2", StringComparison.Ordinal));
        var headers = await page.GetByTestId("edit-headers").InputValueAsync();
        Assert.Contains("\"acme\"", headers, StringComparison.Ordinal);
        await page.GetByTestId("edit-headers").FillAsync(headers.Replace("\"acme\"", "\"globex\"", StringComparison.Ordinal));
        await ScreenshotAsync(page, "edit-and-replay");
        await page.GetByTestId("edit-replay").ClickAsync();

        await Expect(page.GetByTestId("banner")).ToContainTextAsync($"Edited copy of #{id}: Replayed 1 message");
        await AwaitConditionAsync(() => Handled.ContainsKey("r-1"), Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal("globex", Tenants["r-1"]);
        var stored = (await client.DeadLetterStore.GetAsync(id))!;
        Assert.Contains("-2", System.Text.Encoding.UTF8.GetString(stored.Letter.Body.Span), StringComparison.Ordinal);
        await Expect(Row(page, id)).ToHaveAttributeAsync("data-state", "resolved", new() { Timeout = 30_000 });
        Assert.Contains(AdminLogs(), e => e.Message.Contains($"dead letter #{id} (kept unchanged in the store) replayed with body", StringComparison.Ordinal));
    }
}
