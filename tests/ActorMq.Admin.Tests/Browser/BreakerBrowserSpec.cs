using ActorMq.TestKit.Broker;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.Admin.Tests.Browser;

/// <summary>An open circuit breaker on the overview: the API reports it and the page says the queue is paused.</summary>
public sealed class BreakerBrowserSpec(RabbitMqFixture broker, ChromiumFixture chromium, ITestOutputHelper output)
    : AdminBrowserSpec(broker, chromium, output, "actormq.consumer-defaults.circuit-breaker { enabled = on, max-failures = 1, reset-timeout = 5m, max-reset-timeout = 10m }"),
        IClassFixture<RabbitMqFixture>, IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task An_open_breaker_shows_as_paused_with_what_it_holds()
    {
        var client = await StartClientAsync();
        await using var admin = await StartAdminAsync(client);
        var page = await OpenAsync(admin, "overview");
        var consumer = page.Locator($"[data-testid=consumers] tr[data-consumer='{Queue}']");
        await Microsoft.Playwright.Assertions.Expect(consumer).ToContainTextAsync("Consuming", new() { Timeout = 30_000 });

        // The handler fails (the refund service is "down"): the first failure opens the breaker (max-failures = 1).
        await client.SendAsync(Queue, new Refund("r-1", 5m));

        await Microsoft.Playwright.Assertions.Expect(consumer).ToContainTextAsync("Breaker open", new() { Timeout = 30_000 });
        await Microsoft.Playwright.Assertions.Expect(consumer.Locator(".pill.breaker")).ToHaveAttributeAsync("title", "paused by its circuit breaker: 1 delivery held unacked", new() { Timeout = 30_000 });
        using var http = HttpFor(admin);
        var overview = await http.GetFromJsonAsync<JsonElement>("api/overview");
        var model = Assert.Single(overview.GetProperty("consumers").EnumerateArray());
        Assert.Equal("open", model.GetProperty("breaker").GetString());
        Assert.Equal(1, model.GetProperty("waiting").GetInt32());
        Assert.Equal(0, client.GetStatistics().DeadLettered);
    }
}
