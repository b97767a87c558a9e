using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Configuration;
using Microsoft.Extensions.Logging;
using ActorMq.TestKit.Broker;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.Admin.Tests;

/// <summary>
/// The standalone admin process (what <c>actormq admin</c> runs) beside a service: both share the dead store; the admin
/// process consumes nothing, shows the service's queues and tiers from the configuration, and replays to the service.
/// </summary>
public sealed class ActorMqAdminServerSpec(RabbitMqFixture broker, ITestOutputHelper output)
    : AdminSpec(broker, output, "actormq.consumer-defaults.retry { delays = [100ms, 1s], max-attempts = 2 }"), IClassFixture<RabbitMqFixture>
{
    private Config AdminConfig(string extra = "") => ConfigurationFactory.ParseString($$"""
        actormq {
          connection.uris = ["{{Broker.AmqpUri}}"]
          consumers { "{{Queue}}" {} }
          consumer-defaults.retry { delays = [100ms, 1s], max-attempts = 2 }
          dead-store.sqlite.path = "{{DeadStorePath}}"
          {{extra}}
        }
        """);

    [Fact]
    public async Task The_standalone_page_shows_the_configured_consumer_and_replays_through_its_own_client()
    {
        var service = await StartClientAsync();
        await DeadLetterAsync(service, 4m);
        Fixed = true;

        await using var server = await ActorMqAdminServer.StartAsync(AdminConfig(), "http://127.0.0.1:0",
            logging => ToTestLogs(logging.SetMinimumLevel(LogLevel.Debug)));
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(server.Addresses.Single() + "/") };

        using var page = await http.GetAsync("");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("name=\"actormq-base\" content=\"\"", await page.Content.ReadAsStringAsync());
        Assert.Empty(server.Client.Settings.Consumers); // WithoutConsumers: nothing is consumed here

        // The admin process connects on its own: the depths come once its link is up.
        await AwaitAssertAsync(async () =>
        {
            var overview = await http.GetFromJsonAsync<JsonElement>("api/overview");
            Assert.Equal("connected", overview.GetProperty("link").GetProperty("state").GetString());
            var consumer = Assert.Single(overview.GetProperty("consumers").EnumerateArray());
            Assert.Equal(Queue, consumer.GetProperty("name").GetString());
            Assert.False(consumer.GetProperty("runsHere").GetBoolean());
            Assert.True(consumer.TryGetProperty("brokerConsumers", out var consumers), overview.ToString());
            Assert.Equal(1, consumers.GetInt64()); // the service's consumer
            Assert.Equal([(Queue, "work"), (Queue + ".retry.100ms", "retry")],
                overview.GetProperty("queues").EnumerateArray().Select(q => (q.GetProperty("queue").GetString(), q.GetProperty("kind").GetString())));
        }, Dilated(TimeSpan.FromSeconds(30)));

        var token = (await http.GetFromJsonAsync<JsonElement>("api/antiforgery")).GetProperty("token").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/dead-letters/replay") { Content = JsonContent.Create(new { limit = 1 }) };
        request.Headers.Add("X-ActorMq-Antiforgery", token);
        using var replay = await http.SendAsync(request);
        Assert.Equal(1, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        await AwaitConditionAsync(() => Handled.ContainsKey("r-1"), Dilated(TimeSpan.FromSeconds(30)));

        // Requests at Debug, one line each; the audit line at Information; nothing per request from ASP.NET Core itself.
        var logs = Logs.Since(0);
        Assert.Contains(logs, e => e is { Category: "ActorMq.Admin.Requests", Level: LogLevel.Debug } && e.Message.StartsWith("GET /api/overview 200 in ", StringComparison.Ordinal));
        Assert.Contains(logs, e => e is { Category: "ActorMq.Admin.Requests", Level: LogLevel.Debug } && e.Message.StartsWith("POST /api/dead-letters/replay 200 in ", StringComparison.Ordinal));
        Assert.Contains(logs, e => e is { Category: "ActorMq.Admin", Level: LogLevel.Information } && e.Message.StartsWith("Admin replay by loopback:", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, e => e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && e.Level < LogLevel.Warning);
    }

    [Fact]
    public async Task The_standalone_page_refuses_to_listen_beyond_loopback_without_credentials()
    {
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => ActorMqAdminServer.StartAsync(AdminConfig(), "http://0.0.0.0:5080"));

        Assert.Equal("actormq.admin.api-key", error.Path);
        Assert.Contains("http://0.0.0.0:5080", error.Message);
    }

    [Fact]
    public async Task With_an_api_key_configured_every_request_needs_the_key()
    {
        await using var server = await ActorMqAdminServer.StartAsync(AdminConfig("admin.api-key = \"test-key-0123456789\""), "http://127.0.0.1:0;http://[::1]:0",
            ToTestLogs);
        using var http = new HttpClient { BaseAddress = new Uri(server.Addresses.First() + "/") };

        using var anonymous = await http.GetAsync("api/overview");
        http.DefaultRequestHeaders.Add("X-Api-Key", "test-key-0123456789");
        using var keyed = await http.GetAsync("api/overview");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
    }
}
