using System.Text;
using System.Text.Json;
using ActorMq.DeadStore;
using ActorMq.Tests.DeadStore;
using ActorMq.TestSupport;
using Xunit;

namespace ActorMq.Tests.Cli.Commands;

/// <summary>list, show, purge and discard against a real SQLite store (replay needs the broker: see the integration tests).</summary>
public sealed class DeadLettersCommandsSpec : IDisposable
{
    private readonly LocalStore _store = new();

    public void Dispose() => _store.Dispose();

    private Task<IReadOnlyList<long>> ArrangeAsync() => _store.AddAsync(
        DeadLetterSamples.Letter(messageId: "o-1", errorMessage: "inventory timed out"),
        DeadLetterSamples.Letter(messageId: "o-2", errorType: "ActorMq.PermanentFailureException", errorMessage: "bad payload: amount must be a number",
            deadAt: DeadLetterSamples.Epoch.AddMinutes(1)),
        DeadLetterSamples.Letter(queue: "payments", messageId: "p-1", errorMessage: "card declined", deadAt: DeadLetterSamples.Epoch.AddMinutes(2)));

    [Fact]
    public async Task List_must_show_the_matching_rows_the_total_and_the_counts_per_queue_and_error_type()
    {
        await ArrangeAsync();

        var result = await CliRunner.RunAsync("dead-letters", "list", "--config", _store.ConfigPath, "--queue", "orders");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("(queue = orders)", result.Output);
        Assert.Contains("o-1", result.Output);
        Assert.Contains("o-2", result.Output);
        Assert.DoesNotContain("p-1", result.Output);
        Assert.Contains("2 dead letters match; showing 1-2 (page 1 of 1).", result.Output);
        Assert.Contains("Counts per queue and error type:", result.Output);
        Assert.Contains("orders  ActorMq.PermanentFailureException      1", result.Output);
        Assert.Matches(@"total\s+2\n", result.Output);
    }

    [Fact]
    public async Task List_must_search_the_words_of_the_error_and_body_and_refuse_a_search_without_words()
    {
        await _store.AddAsync(
            DeadLetterSamples.Letter(messageId: "o-1", errorMessage: "inventory timed out", body: Encoding.UTF8.GetBytes("""{"sku":"BLUE-MUG","qty":2}""")),
            DeadLetterSamples.Letter(messageId: "o-2", errorMessage: "card declined", body: Encoding.UTF8.GetBytes("""{"sku":"RED-CUP","qty":1}""")));

        var byBody = await CliRunner.RunAsync("dead-letters", "list", "--config", _store.ConfigPath, "--search", "sku blue mu", "--json");
        var byError = await CliRunner.RunAsync("dead-letters", "list", "--config", _store.ConfigPath, "--search", "Card Declined");
        var refused = await CliRunner.RunAsync("dead-letters", "list", "--config", _store.ConfigPath, "--search", "+++");

        Assert.Equal(0, byBody.ExitCode);
        using (var json = JsonDocument.Parse(byBody.Output))
            Assert.Equal("o-1", Assert.Single(json.RootElement.GetProperty("items").EnumerateArray()).GetProperty("message_id").GetString());
        Assert.Equal(0, byError.ExitCode);
        Assert.Contains("(search \"Card Declined\")", byError.Output);
        Assert.Contains("o-2", byError.Output);
        Assert.DoesNotContain("o-1", byError.Output);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("option '--search': '+++' holds no letter or digit to search for", refused.Error);
    }

    [Fact]
    public async Task List_must_page_and_give_JSON()
    {
        var ids = await ArrangeAsync();

        var result = await CliRunner.RunAsync("dead-letters", "list", "--config", _store.ConfigPath, "--page", "2", "--page-size", "2", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(3, json.RootElement.GetProperty("total").GetInt64());
        var item = Assert.Single(json.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(ids[2], item.GetProperty("id").GetInt64());
        Assert.Equal("payments", item.GetProperty("queue").GetString());
        Assert.Equal("dead", item.GetProperty("state").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("counts").GetArrayLength());
        Assert.Equal(3, json.RootElement.GetProperty("counts").EnumerateArray().Sum(c => c.GetProperty("count").GetInt64()));
    }

    [Fact]
    public async Task Groups_must_count_the_dead_letters_per_cause_and_the_group_filter_must_list_and_discard_one_group()
    {
        await _store.AddAsync(
            DeadLetterSamples.Letter(messageId: "o-1", errorMessage: "inventory timed out for order 17"),
            DeadLetterSamples.Letter(messageId: "o-2", errorMessage: "inventory timed out for order 18", deadAt: DeadLetterSamples.Epoch.AddMinutes(1)),
            DeadLetterSamples.Letter(messageId: "o-3", errorMessage: "inventory timed out for order 19", deadAt: DeadLetterSamples.Epoch.AddMinutes(2)),
            DeadLetterSamples.Letter(queue: "payments", messageId: "p-1", errorMessage: "card 4242 declined", deadAt: DeadLetterSamples.Epoch.AddMinutes(3)));

        var table = await CliRunner.RunAsync("dead-letters", "groups", "--config", _store.ConfigPath);
        var json = await CliRunner.RunAsync("dead-letters", "groups", "--config", _store.ConfigPath, "--json");

        Assert.Equal(0, table.ExitCode);
        Assert.Contains("(state = dead)", table.Output);
        Assert.Matches(@"[0-9a-f]{16}\s+3\s+2026-03-14 09:26:53\s+2026-03-14 09:28:53\s+orders\s+System.TimeoutException\s+1\s+inventory timed out for order <n>\n", table.Output);
        Assert.Contains("4 dead letters in 2 groups.", table.Output);
        using var document = JsonDocument.Parse(json.Output);
        var groups = document.RootElement.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal([3L, 1L], groups.Select(g => g.GetProperty("count").GetInt64()));
        Assert.Equal("card <n> declined", groups[1].GetProperty("pattern").GetString());
        Assert.Equal("Shop.Orders.Handle(OrderCreated message)", Assert.Single(groups[0].GetProperty("top_frames").EnumerateArray()).GetString());
        var key = groups[0].GetProperty("key").GetString()!;

        var list = await CliRunner.RunAsync("dead-letters", "list", "--config", _store.ConfigPath, "--group", key);
        Assert.Contains($"(group = {key})", list.Output);
        Assert.Contains("3 dead letters match", list.Output);
        Assert.DoesNotContain("p-1", list.Output);
        var discard = await CliRunner.RunAsync("dead-letters", "discard", "--config", _store.ConfigPath, "--group", key, "--yes");
        Assert.Equal(0, discard.ExitCode);
        var after = await CliRunner.RunAsync("dead-letters", "groups", "--config", _store.ConfigPath, "--json");
        using var left = JsonDocument.Parse(after.Output);
        Assert.Equal("payments", Assert.Single(left.RootElement.GetProperty("groups").EnumerateArray()).GetProperty("queue").GetString());
    }

    [Fact]
    public async Task Show_must_print_every_field_the_typed_headers_and_the_body_as_JSON()
    {
        var ids = await _store.AddAsync(DeadLetterSamples.Letter(messageId: "o-9", body: Encoding.UTF8.GetBytes("""{"orderId":"o-9","amount":12.5}""")));

        var result = await CliRunner.RunAsync("dead-letters", "show", ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture), "--config", _store.ConfigPath);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"Dead letter #{ids[0]}\n", result.Output);
        Assert.Contains("  message id       o-9\n", result.Output);
        Assert.Contains("  routing key      orders.created\n", result.Output);
        Assert.Contains("  attempts         4\n", result.Output);
        Assert.Contains("  retry-count  4 (int32)\n", result.Output);
        Assert.Contains("  traceparent  00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01 (bytes)\n", result.Output);
        Assert.Contains("  content_type   application/json\n", result.Output);
        Assert.Contains("   at Shop.Orders.Handle(OrderCreated message)", result.Output);
        Assert.Contains("Body (31 bytes, application/json)\n{\n  \"orderId\": \"o-9\",\n  \"amount\": 12.5\n}\n", result.Output);
    }

    [Fact]
    public async Task Show_JSON_must_carry_the_body_byte_exact_and_the_tagged_headers()
    {
        var body = DeadLetterSamples.BinaryBody();
        var ids = await _store.AddAsync(DeadLetterSamples.Letter(body: body, headers: DeadLetterSamples.AllHeaderTypes()));

        var result = await CliRunner.RunAsync("dead-letters", "show", $"{ids[0]}", "--config", _store.ConfigPath, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(body, json.RootElement.GetProperty("body_base64").GetBytesFromBase64());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("body_json").ValueKind);
        DeadLetterSamples.AssertSameHeaders(DeadLetterSamples.AllHeaderTypes(), DeadLetterJson.DeserializeHeaders(json.RootElement.GetProperty("headers").GetRawText()));
    }

    [Fact]
    public async Task Show_must_fail_for_an_id_that_does_not_exist()
    {
        await ArrangeAsync();

        var result = await CliRunner.RunAsync("dead-letters", "show", "999", "--config", _store.ConfigPath);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no dead letter with id 999 in sqlite", result.Error);
    }

    [Fact]
    public async Task A_store_file_that_does_not_exist_must_be_named_not_created()
    {
        var result = await CliRunner.RunAsync("dead-letters", "list", "--config", _store.ConfigPath);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"no dead store at '{_store.DatabasePath}' (actormq.dead-store.sqlite.path = \"{_store.DatabasePath}\"", result.Error);
        Assert.False(File.Exists(_store.DatabasePath));
    }

    [Fact]
    public async Task Purge_must_refuse_without_yes_when_not_on_a_terminal_and_change_nothing()
    {
        await ArrangeAsync();

        var result = await CliRunner.RunAsync("dead-letters", "purge", "--all", "--config", _store.ConfigPath);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("refusing to purge without confirmation: not running on a terminal; add --yes to purge all dead letters", result.Error);
        await using var store = await _store.OpenAsync();
        Assert.Equal(3, (await store.ListAsync(new DeadLetterQuery { Limit = 10 })).Total);
    }

    [Fact]
    public async Task Purge_must_ask_on_a_terminal_and_delete_only_after_yes()
    {
        await ArrangeAsync();

        var declined = await CliRunner.RunWithInputAsync("n\n", "dead-letters", "purge", "--queue", "orders", "--config", _store.ConfigPath);
        var accepted = await CliRunner.RunWithInputAsync("y\n", "dead-letters", "purge", "--queue", "orders", "--config", _store.ConfigPath);

        Assert.Equal(1, declined.ExitCode);
        Assert.Contains("purge 2 dead letters (queue = orders)", declined.Error);
        Assert.Contains("Not confirmed; nothing was purged.", declined.Error);
        Assert.Equal(0, accepted.ExitCode);
        Assert.Contains("Purged 2 dead letters (queue = orders).", accepted.Output);
        await using var store = await _store.OpenAsync();
        var left = await store.ListAsync(new DeadLetterQuery { Limit = 10 });
        Assert.Equal("p-1", Assert.Single(left.Items).Letter.MessageId);
    }

    [Fact]
    public async Task Discard_with_yes_must_mark_the_matching_dead_rows_discarded()
    {
        var ids = await ArrangeAsync();

        var result = await CliRunner.RunAsync("dead-letters", "discard", "--error-type", "ActorMq.PermanentFailureException", "--yes", "--config", _store.ConfigPath);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Discarded 1 dead letter (error type = ActorMq.PermanentFailureException).", result.Output);
        await using var store = await _store.OpenAsync();
        Assert.Equal(DeadLetterState.Discarded, (await store.GetAsync(ids[1]))!.State);
        Assert.Equal(DeadLetterState.Dead, (await store.GetAsync(ids[0]))!.State);
    }

    [Fact]
    public async Task Purge_and_replay_must_demand_a_selection()
    {
        var purge = await CliRunner.RunAsync("dead-letters", "purge", "--yes");
        var replay = await CliRunner.RunAsync("dead-letters", "replay");

        Assert.Equal((2, 2), (purge.ExitCode, replay.ExitCode));
        Assert.Contains("say which dead letters to purge: an <id>, --all, or filter options", purge.Error);
        Assert.Contains("say which dead letters to replay: an <id>, --all, or filter options", replay.Error);
    }
}
