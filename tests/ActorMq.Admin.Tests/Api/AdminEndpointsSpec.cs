using Akka.Configuration;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ActorMq.DeadStore;
using ActorMq.TestKit.Broker;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.Admin.Tests.Api;

/// <summary>The JSON endpoints over HTTP: a WebApplication on a free loopback port, an HttpClient, the real broker.</summary>
public sealed class AdminEndpointsSpec(RabbitMqFixture broker, ITestOutputHelper output) : AdminSpec(broker, output), IClassFixture<RabbitMqFixture>
{
    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Loads the page (which sets the anti-forgery cookie) and returns the token it embeds.</summary>
    private static async Task<string> AntiforgeryTokenAsync(HttpClient http)
    {
        var token = await GetJsonAsync(http, "api/antiforgery");
        return token.GetProperty("token").GetString()!;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, object body, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null) request.Headers.Add("X-ActorMq-Antiforgery", token);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Overview_reports_the_link_the_consumer_its_queue_depths_and_the_totals()
    {
        var client = await StartClientAsync();
        await DeadLetterAsync(client, 5m, -1m);
        await using var admin = await StartAdminAsync(client);
        using var http = HttpFor(admin);

        var overview = await GetJsonAsync(http, "api/overview");

        Assert.Equal("connected", overview.GetProperty("link").GetProperty("state").GetString());
        var consumer = Assert.Single(overview.GetProperty("consumers").EnumerateArray());
        Assert.Equal(Queue, consumer.GetProperty("name").GetString());
        Assert.True(consumer.GetProperty("runsHere").GetBoolean());
        Assert.True(consumer.GetProperty("consuming").GetBoolean());
        Assert.Equal(2, consumer.GetProperty("totals").GetProperty("deadLettered").GetInt64());
        var queues = overview.GetProperty("queues").EnumerateArray().ToList();
        Assert.Equal(Queue, queues[0].GetProperty("queue").GetString());
        Assert.Equal("work", queues[0].GetProperty("kind").GetString());
        Assert.True(queues[0].GetProperty("exists").GetBoolean());
        Assert.Equal(2, overview.GetProperty("statistics").GetProperty("failed").GetInt64());
        Assert.Equal(2, overview.GetProperty("deadLetters").GetInt64());
    }

    [Fact]
    public async Task Dead_letters_filter_by_queue_error_type_and_text_and_page()
    {
        var client = await StartClientAsync();
        var ids = await DeadLetterAsync(client, 1m, -2m, 3m, -4m, 5m);
        await using var admin = await StartAdminAsync(client);
        using var http = HttpFor(admin);

        var byType = await GetJsonAsync(http, $"api/dead-letters?queue={Queue}&errorType={typeof(ArgumentException).FullName}");
        Assert.Equal(2, byType.GetProperty("total").GetInt64());
        Assert.All(byType.GetProperty("items").EnumerateArray(), i => Assert.Equal(typeof(ArgumentException).FullName, i.GetProperty("errorType").GetString()));

        var byText = await GetJsonAsync(http, "api/dead-letters?text=refund%20-4");
        Assert.Equal("r-4", Assert.Single(byText.GetProperty("items").EnumerateArray()).GetProperty("messageId").GetString());

        var page2 = await GetJsonAsync(http, "api/dead-letters?pageSize=2&page=2");
        Assert.Equal(5, page2.GetProperty("total").GetInt64());
        Assert.Equal(ids.OrderDescending().Skip(2).Take(2), page2.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));

        var facets = page2.GetProperty("facets");
        Assert.Equal(Queue, Assert.Single(facets.GetProperty("queues").EnumerateArray()).GetProperty("value").GetString());
        Assert.Equal(2, facets.GetProperty("errorTypes").GetArrayLength());

        var future = await GetJsonAsync(http, $"api/dead-letters?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}");
        Assert.Equal(0, future.GetProperty("total").GetInt64());

        var sorted = await GetJsonAsync(http, "api/dead-letters?sort=errorType&dir=asc");
        Assert.Equal([typeof(ArgumentException).FullName, typeof(ArgumentException).FullName, typeof(InvalidOperationException).FullName,
            typeof(InvalidOperationException).FullName, typeof(InvalidOperationException).FullName],
            sorted.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("errorType").GetString()));
        using var badSort = await http.GetAsync("api/dead-letters?sort=body");
        Assert.Equal(HttpStatusCode.BadRequest, badSort.StatusCode);

        using var bad = await http.GetAsync("api/dead-letters?state=zombie");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("zombie", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Detail_shows_properties_headers_and_the_body_as_pretty_json_and_hex()
    {
        var client = await StartClientAsync();
        var ids = await DeadLetterAsync(client, 7m);
        await using var admin = await StartAdminAsync(client);
        using var http = HttpFor(admin);

        var detail = await GetJsonAsync(http, $"api/dead-letters/{ids[0]}");

        Assert.Equal("r-1", detail.GetProperty("row").GetProperty("messageId").GetString());
        Assert.Equal("refund service down", detail.GetProperty("row").GetProperty("errorMessage").GetString());
        var body = detail.GetProperty("body");
        var json = body.GetProperty("json").GetString()!;
        Assert.Contains('\n', json);
        Assert.Contains("\"r-1\"", json);
        JsonDocument.Parse(json).Dispose();
        Assert.StartsWith("00000000  7b", body.GetProperty("hex").GetString());
        Assert.Contains(detail.GetProperty("properties").EnumerateArray(), p => p.GetProperty("name").GetString() == "content_type");
        Assert.Contains(detail.GetProperty("headers").EnumerateArray(), h => h.GetProperty("name").GetString() == "tenant" && h.GetProperty("value").GetString() == "acme");

        using var missing = await http.GetAsync("api/dead-letters/999999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        var client = await StartClientAsync();
        await DeadLetterAsync(client, 1m, 2m);
        await using var admin = await StartAdminAsync(client);
        using var http = HttpFor(admin);
        var token = await AntiforgeryTokenAsync(http);

        using var withoutHeader = await PostAsync(http, "api/dead-letters/purge", new { }, token: null);
        using var wrongHeader = await PostAsync(http, "api/dead-letters/purge", new { }, token: new string('x', 43));
        using var noCookie = HttpFor(admin);
        using var withoutCookie = await PostAsync(noCookie, "api/dead-letters/purge", new { }, token);

        Assert.Equal(HttpStatusCode.BadRequest, withoutHeader.StatusCode);
        Assert.Contains("anti-forgery", await withoutHeader.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, wrongHeader.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutCookie.StatusCode);
        Assert.Equal(2, (await client.DeadLetterStore.ListAsync(new DeadLetterQuery { Limit = 10 })).Total);
        Assert.Equal(3, AdminLogs().Count(e => e.Message.Contains("anti-forgery", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Replay_one_then_all_puts_the_messages_back_and_the_audit_log_says_who_and_what()
    {
        var client = await StartClientAsync();
        await DeadLetterAsync(client, 1m, 2m, 3m);
        Fixed = true;
        await using var admin = await StartAdminAsync(client);
        using var http = HttpFor(admin);
        var token = await AntiforgeryTokenAsync(http);

        using var one = await PostAsync(http, "api/dead-letters/replay", new { queue = Queue, limit = 1 }, token);
        var first = await one.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(one.IsSuccessStatusCode, first.ToString());
        Assert.Equal(1, first.GetProperty("replayed").GetInt32());
        await AwaitConditionAsync(() => Handled.Count == 1, Dilated(TimeSpan.FromSeconds(30)));

        using var rest = await PostAsync(http, "api/dead-letters/replay", new { queue = Queue }, token);
        Assert.Equal(2, (await rest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        await AwaitConditionAsync(() => Handled.Count == 3, Dilated(TimeSpan.FromSeconds(30)));

        // The consumer reported each handled copy: the rows are resolved, none failed again.
        await AwaitAssertAsync(async () =>
            Assert.Equal(3, (await GetJsonAsync(http, "api/dead-letters?state=resolved")).GetProperty("total").GetInt64()), Dilated(TimeSpan.FromSeconds(30)));
        var resolved = await GetJsonAsync(http, "api/dead-letters?state=resolved");
        Assert.All(resolved.GetProperty("items").EnumerateArray(), i =>
        {
            Assert.True(i.TryGetProperty("resolvedAt", out _));
            Assert.False(i.TryGetProperty("failedAgainId", out _));
        });
        Assert.Equal(0, (await GetJsonAsync(http, "api/dead-letters?state=failed-again")).GetProperty("total").GetInt64());
        var audit = AdminLogs().Where(e => e.Message.StartsWith("Admin replay by loopback:", StringComparison.Ordinal)).Select(e => e.Message).ToList();
        Assert.Equal(2, audit.Count);
        Assert.Contains($"queue='{Queue}'", audit[0]);
        Assert.Contains("limit 1: 1 replayed, 0 failed", audit[0]);
        Assert.Contains("limit none: 2 replayed, 0 failed", audit[1]);
        Assert.DoesNotContain(AdminLogs(), e => e.Message.Contains("\"amount\"", StringComparison.OrdinalIgnoreCase) || e.Message.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Groups_count_the_causes_and_a_group_is_listed_replayed_one_first_then_the_rest_and_discarded_by_its_key()
    {
        var client = await StartClientAsync();
        var ids = await DeadLetterAsync(client, 1m, -2m, 3m, -4m, 5m);
        await using var admin = await StartAdminAsync(client);
        using var http = HttpFor(admin);
        var token = await AntiforgeryTokenAsync(http);

        var groups = await GetJsonAsync(http, "api/dead-letters/groups?state=dead");
        Assert.Equal(5, groups.GetProperty("total").GetInt64());
        var items = groups.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([3L, 2L], items.Select(g => g.GetProperty("count").GetInt64()));
        Assert.Equal(("refund service down", typeof(InvalidOperationException).FullName), (items[0].GetProperty("pattern").GetString(), items[0].GetProperty("errorType").GetString()));
        Assert.Equal("negative refund <n>", items[1].GetProperty("pattern").GetString());
        Assert.Equal(ids[0], items[0].GetProperty("sampleId").GetInt64());
        var down = items[0].GetProperty("key").GetString()!;
        var negative = items[1].GetProperty("key").GetString()!;

        var listed = await GetJsonAsync(http, $"api/dead-letters?group={negative}");
        Assert.Equal([ids[3], ids[1]], listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        Assert.All(listed.GetProperty("items").EnumerateArray(), i => Assert.Equal(negative, i.GetProperty("group").GetString()));
        var byMessageId = await GetJsonAsync(http, "api/dead-letters?messageId=r-3");
        Assert.Equal(ids[2], Assert.Single(byMessageId.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());

        Fixed = true;
        using var one = await PostAsync(http, "api/dead-letters/replay", new { group = down, limit = 1 }, token);
        Assert.Equal(1, (await one.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        using var rest = await PostAsync(http, "api/dead-letters/replay", new { group = down }, token);
        Assert.Equal(2, (await rest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        await AwaitConditionAsync(() => Handled.Count == 3, Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal(["r-1", "r-3", "r-5"], Handled.Keys.Order());
        using var discard = await PostAsync(http, "api/dead-letters/discard", new { group = negative }, token);
        Assert.Equal(2, (await discard.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("count").GetInt32());

        Assert.Empty((await GetJsonAsync(http, "api/dead-letters/groups?state=dead")).GetProperty("items").EnumerateArray());
        Assert.Contains(AdminLogs(), e => e.Message.StartsWith("Admin replay by loopback:", StringComparison.Ordinal) && e.Message.Contains($"group='{down}'", StringComparison.Ordinal));
        Assert.Contains(AdminLogs(), e => e.Message.StartsWith("Admin discard by loopback:", StringComparison.Ordinal) && e.Message.Contains($"group='{negative}'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_replayed_message_that_fails_again_is_shown_as_failed_again_linked_by_replayed_from()
    {
        var client = await StartClientAsync();
        var ids = await DeadLetterAsync(client, 1m);
        await using var admin = await StartAdminAsync(client);
        using var http = HttpFor(admin);
        var token = await AntiforgeryTokenAsync(http);
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));

        using var replay = await PostAsync(http, "api/dead-letters/replay", new { ids = new[] { ids[0] } }, token);
        Assert.Equal(1, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        var again = await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30)));

        var row = (await GetJsonAsync(http, $"api/dead-letters/{ids[0]}")).GetProperty("row");
        Assert.Equal("failedAgain", row.GetProperty("state").GetString());
        Assert.Equal(again.Id, row.GetProperty("failedAgainId").GetInt64());
        Assert.Equal(ids[0], (await GetJsonAsync(http, $"api/dead-letters/{again.Id}")).GetProperty("row").GetProperty("replayedFrom").GetInt64());
        Assert.Equal(ids[0], Assert.Single((await GetJsonAsync(http, "api/dead-letters?state=failed-again")).GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_newer_dead_letter_with_the_same_message_id_is_never_taken_for_the_replayed_copy()
    {
        // What the page once guessed: "the next row with the same message id and queue" is the copy that failed again. Here
        // that row died before the replay, and the replayed copy is handled.
        var client = await StartClientAsync();
        var ids = await DeadLetterAsync(client, 1m, 1m);
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        await client.SendAsync(Queue, new Refund("r-1", 1m), new PublishOptions { MessageId = "r-1" });
        var twin = await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal("r-1", twin.MessageId);
        Fixed = true;
        await using var admin = await StartAdminAsync(client);
        using var http = HttpFor(admin);
        var token = await AntiforgeryTokenAsync(http);

        using var replay = await PostAsync(http, "api/dead-letters/replay", new { ids = new[] { ids[0] } }, token);
        Assert.Equal(1, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());

        await AwaitAssertAsync(async () =>
            Assert.Equal("resolved", (await GetJsonAsync(http, $"api/dead-letters/{ids[0]}")).GetProperty("row").GetProperty("state").GetString()),
            Dilated(TimeSpan.FromSeconds(30)));
        var row = (await GetJsonAsync(http, $"api/dead-letters/{ids[0]}")).GetProperty("row");
        Assert.False(row.TryGetProperty("failedAgainId", out _));
        Assert.False((await GetJsonAsync(http, $"api/dead-letters/{twin.Id}")).GetProperty("row").TryGetProperty("replayedFrom", out _));
    }

    [Fact]
    public async Task Edit_and_replay_publishes_the_changed_copy_keeps_the_stored_row_and_audits_what_changed()
    {
        var client = await StartClientAsync();
        var ids = await DeadLetterAsync(client, -2m, 3m);
        NegativeStillFails = true;
        Fixed = true;
        await using var admin = await StartAdminAsync(client);
        using var http = HttpFor(admin);
        var token = await AntiforgeryTokenAsync(http);
        var detail = await GetJsonAsync(http, $"api/dead-letters/{ids[0]}");
        var headersJson = detail.GetProperty("headersJson").GetString()!;
        Assert.Contains("\"tenant\"", headersJson);

        // Bad edits are refused, naming the field; nothing is published.
        using (var both = await PostAsync(http, $"api/dead-letters/{ids[0]}/replay-edited", new { body = "{}", bodyBase64 = "e30=" }, token))
        {
            Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
            Assert.Contains("body, bodyBase64", await both.Content.ReadAsStringAsync());
        }
        using (var badHeaders = await PostAsync(http, $"api/dead-letters/{ids[0]}/replay-edited", new { headers = "{\"tenant\": {\"int32\": \"x\"}}" }, token))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badHeaders.StatusCode);
            Assert.Contains("headers:", await badHeaders.Content.ReadAsStringAsync());
        }
        using (var missing = await PostAsync(http, "api/dead-letters/999999/replay-edited", new { body = "{}" }, token))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Empty(Handled);

        var body = detail.GetProperty("body").GetProperty("text").GetString()!.Replace("-2", "2", StringComparison.Ordinal);
        using var edited = await PostAsync(http, $"api/dead-letters/{ids[0]}/replay-edited",
            new { body, headers = headersJson.Replace("acme", "globex", StringComparison.Ordinal) }, token);
        var result = await edited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(edited.IsSuccessStatusCode, result.ToString());
        Assert.Equal(1, result.GetProperty("replayed").GetInt32());

        await AwaitConditionAsync(() => Handled.ContainsKey("r-1"), Dilated(TimeSpan.FromSeconds(30)));
        Assert.Equal("globex", Tenants["r-1"]);
        var stored = (await client.DeadLetterStore.GetAsync(ids[0]))!;
        Assert.Contains("-2", System.Text.Encoding.UTF8.GetString(stored.Letter.Body.Span), StringComparison.Ordinal);
        await AwaitAssertAsync(async () => Assert.Equal(DeadLetterState.Resolved, (await client.DeadLetterStore.GetAsync(ids[0]))!.State),
            Dilated(TimeSpan.FromSeconds(30)));
        var audit = Assert.Single(AdminLogs(), e => e.Message.StartsWith("Admin edit-and-replay by loopback:", StringComparison.Ordinal)).Message;
        Assert.Contains($"#{ids[0]}", audit);
        Assert.Contains("body ", audit);
        Assert.Contains("headers changed [tenant]", audit);
        Assert.EndsWith(": replayed", audit);
        Assert.DoesNotContain("globex", audit);

        // Once replayed, the row is no longer dead: a second edit is refused.
        using var twice = await PostAsync(http, $"api/dead-letters/{ids[0]}/replay-edited", new { body }, token);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
    }

    [Fact]
    public async Task Discard_and_purge_change_the_matching_rows_only()
    {
        var client = await StartClientAsync();
        var ids = await DeadLetterAsync(client, 1m, -2m, 3m);
        await using var admin = await StartAdminAsync(client);
        using var http = HttpFor(admin);
        var token = await AntiforgeryTokenAsync(http);

        using var discard = await PostAsync(http, "api/dead-letters/discard", new { ids = new[] { ids[0] } }, token);
        Assert.Equal(1, (await discard.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("count").GetInt32());
        Assert.Equal(DeadLetterState.Discarded, (await client.DeadLetterStore.GetAsync(ids[0]))!.State);

        using var purge = await PostAsync(http, "api/dead-letters/purge", new { errorType = typeof(ArgumentException).FullName }, token);
        Assert.Equal(1, (await purge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("count").GetInt32());
        Assert.Null(await client.DeadLetterStore.GetAsync(ids[1]));
        Assert.NotNull(await client.DeadLetterStore.GetAsync(ids[2]));

        Assert.Contains(AdminLogs(), e => e.Message == $"Admin discard by loopback: filter ids=[{ids[0]}]: 1 discarded");
        Assert.Contains(AdminLogs(), e => e.Message == $"Admin purge by loopback: filter errorType='{typeof(ArgumentException).FullName}': 1 deleted");
    }

    [Fact]
    public async Task With_basic_auth_configured_every_request_needs_it_and_the_user_is_audited()
    {
        var client = await StartClientAsync();
        await DeadLetterAsync(client, 1m);
        var settings = AdminSettings.Create(ConfigurationFactory.ParseString("actormq.admin.basic-auth { user = ops, password = \"s3cret pass\" }")
            .WithFallback(Sys.Settings.Config).WithFallback(ActorMqClient.DefaultConfig()));
        await using var admin = await StartAdminAsync(client, settings: settings);
        using var anonymous = HttpFor(admin);
        using var wrong = HttpFor(admin);
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:wrong")));
        using var ops = HttpFor(admin);
        ops.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:s3cret pass")));

        using var refused = await anonymous.GetAsync("");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.StartsWith("Basic", refused.Headers.WwwAuthenticate.ToString());
        using var wrongPassword = await wrong.GetAsync("api/overview");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);

        using var page = await ops.GetAsync("");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var purge = await PostAsync(ops, "api/dead-letters/purge", new { }, await AntiforgeryTokenAsync(ops));
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        Assert.Contains(AdminLogs(), e => e.Message == "Admin purge by ops: filter (all): 1 deleted");
        Assert.DoesNotContain(AdminLogs(), e => e.Message.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_page_is_one_self_contained_document_under_a_strict_content_security_policy()
    {
        var client = await StartClientAsync();
        await using var admin = await StartAdminAsync(client);
        using var http = HttpFor(admin);

        using var response = await http.GetAsync("");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("connect-src 'self'", csp);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal));
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("src=\"", html);
        Assert.Contains("<canvas id=\"rate-chart\"", html);
        Assert.Contains("name=\"actormq-base\" content=\"/actormq\"", html);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ActorMq.Admin.Antiforgery=", StringComparison.Ordinal) &&
            c.Contains("httponly", StringComparison.OrdinalIgnoreCase) && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase) &&
            c.Contains("path=/actormq", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Listening_beyond_loopback_without_credentials_refuses_to_start()
    {
        var client = await StartClientAsync();

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => StartAdminAsync(client, urls: "http://0.0.0.0:0"));

        Assert.Equal("actormq.admin.api-key", error.Path);
        Assert.Contains("http://0.0.0.0:0", error.Message);
        Assert.Contains("actormq.admin.basic-auth", error.Message);
    }
}
