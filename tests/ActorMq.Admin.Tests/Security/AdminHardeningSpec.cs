using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActorMq.Admin.Api;
using ActorMq.DeadStore;
using Akka.Configuration;
using ActorMq.TestKit.Broker;
using Microsoft.AspNetCore.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.Admin.Tests.Security;

/// <summary>Hostile input and hostile setups against the running admin page, over HTTP.</summary>
public sealed class AdminHardeningSpec(RabbitMqFixture broker, ITestOutputHelper output) : AdminSpec(broker, output), IClassFixture<RabbitMqFixture>
{
    private static async Task<string> TokenAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("api/antiforgery")).GetProperty("token").GetString()!;

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, object body, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-ActorMq-Antiforgery", token);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Api_answers_are_never_sniffed_or_cached_refusals_included()
    {
        var client = await StartClientAsync();
        await using var admin = await StartAdminAsync(client);
        using var http = HttpFor(admin);

        foreach (var path in new[] { "api/overview", "api/dead-letters", "api/antiforgery", "api/dead-letters/999999" })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        }
        using var refused = new HttpRequestMessage(HttpMethod.Get, "api/dead-letters");
        refused.Headers.Host = "evil.test";
        using var answer = await http.SendAsync(refused);
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_filter_field_with_line_breaks_and_escapes_cannot_forge_an_audit_line()
    {
        var client = await StartClientAsync();
        await using var admin = await StartAdminAsync(client);
        using var http = HttpFor(admin);
        const string forged = "x'\r\n2026-01-01 info: ActorMq.Admin[7003] Admin purge by alice: filter (all): 7 deleted\u001b[2K\u202E";

        using var discard = await PostAsync(http, "api/dead-letters/discard", new { queue = forged }, await TokenAsync(http));

        Assert.Equal(HttpStatusCode.OK, discard.StatusCode);
        var line = Assert.Single(AdminLogs(), e => e.Message.StartsWith("Admin discard by loopback", StringComparison.Ordinal)).Message;
        Assert.DoesNotContain('\r', line);
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\u001b', line);
        Assert.DoesNotContain('\u202E', line);
        Assert.Equal(@"Admin discard by loopback: filter queue='x\'\r\n2026-01-01 info: ActorMq.Admin[7003] Admin purge by alice: filter (all): 7 deleted\x1b[2K\u202E': 0 discarded", line);
    }

    [Fact]
    public async Task An_ids_list_above_the_maximum_is_a_clear_400_and_one_at_the_maximum_is_served()
    {
        var client = await StartClientAsync();
        var dead = await DeadLetterAsync(client, 1m);
        await using var admin = await StartAdminAsync(client);
        using var http = HttpFor(admin);
        var token = await TokenAsync(http);

        using var tooMany = await PostAsync(http, "api/dead-letters/discard", new { ids = Enumerable.Range(1, FilterModel.MaxIds + 1).Select(i => (long)i + 1_000_000) }, token);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains($"at most {FilterModel.MaxIds} ids", await tooMany.Content.ReadAsStringAsync());

        // At the maximum: one statement with one bound value, not 10,000 parameters (the SQLite store ran out of them at 32,766).
        using var most = await PostAsync(http, "api/dead-letters/discard", new { ids = Enumerable.Range(1, FilterModel.MaxIds - 1).Select(i => (long)i + 1_000_000).Append(dead[0]) }, token);
        Assert.Equal(HttpStatusCode.OK, most.StatusCode);
        Assert.Equal(1, (await most.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Credentials_over_plain_http_beyond_loopback_are_warned_about_at_start()
    {
        var client = await StartClientAsync();
        var settings = AdminSettings.Create(ConfigurationFactory.ParseString("actormq.admin.api-key = \"key-0123456789abcdef\"").WithFallback(Sys.Settings.Config).WithFallback(ActorMqClient.DefaultConfig()));
        await using var admin = await StartAdminAsync(client, settings: settings, urls: "http://0.0.0.0:0");

        var warning = Assert.Single(AdminLogs(), e => e.Message.Contains("plain HTTP", StringComparison.Ordinal));
        Assert.Contains("http://0.0.0.0:", warning.Message);
        Assert.Contains("HTTPS", warning.Message);
        Assert.DoesNotContain("key-0123456789abcdef", warning.Message);
    }

    [Fact]
    public async Task Credentials_on_loopback_only_raise_no_warning()
    {
        var client = await StartClientAsync();
        var settings = AdminSettings.Create(ConfigurationFactory.ParseString("actormq.admin.api-key = \"key-0123456789abcdef\"").WithFallback(Sys.Settings.Config).WithFallback(ActorMqClient.DefaultConfig()));
        await using var admin = await StartAdminAsync(client, settings: settings);

        Assert.DoesNotContain(AdminLogs(), e => e.Message.Contains("plain HTTP", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_standalone_page_that_kestrel_binds_beyond_loopback_fails_to_start_instead_of_announcing_itself()
    {
        var config = ConfigurationFactory.ParseString($$"""
            actormq {
              connection.uris = ["{{Broker.AmqpUri}}"]
              dead-store.sqlite.path = "{{DeadStorePath}}"
            }
            """);

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => ActorMqAdminServer.StartAsync(config, "http://127.0.0.1:0", ToTestLogs,
            web => web.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(0)), CancellationToken.None));

        Assert.Contains("beyond loopback", error.Message);
        Assert.DoesNotContain(AdminLogs(), e => e.Message.Contains("listening on", StringComparison.Ordinal));
    }

    private static DeadLetter LargeLetter(string queue, int size) => new()
    {
        Queue = queue, ErrorType = "System.TimeoutException", ErrorMessage = "big", Body = new byte[size].Select(_ => (byte)'a').ToArray(),
        Properties = new DeadLetterProperties { ContentType = "text/plain" }, DeadAt = DateTimeOffset.UtcNow, FirstFailedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task The_list_never_reads_bodies_so_its_allocations_stay_flat_with_large_bodies()
    {
        const int bodySize = 8 * 1024 * 1024;
        var client = await StartClientAsync();
        var store = client.DeadLetterStore;
        await store.InitializeAsync();
        for (var i = 0; i < 5; i++) await store.AddAsync(LargeLetter(Queue, bodySize));
        await using var admin = await StartAdminAsync(client);
        using var http = HttpFor(admin);
        (await http.GetAsync("api/dead-letters")).Dispose(); // warm up: JIT, the store's schema

        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var list = await http.GetAsync("api/dead-letters");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(5, (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").GetArrayLength());
        // Five 8 MiB bodies in the page: reading them would allocate 40 MiB; the whole call stays below one body.
        Assert.True(allocated < bodySize, $"the list call allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task The_detail_sends_a_large_body_once_capped_and_the_download_has_all_of_it()
    {
        const int bodySize = 5 * 1024 * 1024;
        var client = await StartClientAsync();
        await client.DeadLetterStore.InitializeAsync();
        var id = await client.DeadLetterStore.AddAsync(LargeLetter(Queue, bodySize));
        await using var admin = await StartAdminAsync(client);
        using var http = HttpFor(admin);

        using var detail = await http.GetAsync($"api/dead-letters/{id}");
        var json = await detail.Content.ReadAsStringAsync();
        // The text once (1 MiB) and the hex dump of the first 64 KiB (about 300 KB of text): never the whole body.
        Assert.True(json.Length < DeadLetterViews.BodyLimit + 400_000, $"{json.Length:N0} characters of JSON for a {bodySize:N0}-byte body");
        var body = JsonDocument.Parse(json).RootElement.GetProperty("body");
        Assert.True(body.GetProperty("truncated").GetBoolean());
        Assert.Equal(bodySize, body.GetProperty("size").GetInt32());

        using var download = await http.GetAsync($"api/dead-letters/{id}/body");
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(bodySize, (await download.Content.ReadAsByteArrayAsync()).Length);
    }
}
