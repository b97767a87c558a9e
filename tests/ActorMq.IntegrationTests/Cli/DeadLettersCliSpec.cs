using Akka.Configuration;
using System.Collections.Concurrent;
using System.Text.Json;
using ActorMq.DeadStore;
using ActorMq.IntegrationTests.Messaging;
using ActorMq.TestKit.Broker;
using ActorMq.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Cli;

/// <summary>
/// The dead-letters commands end to end: a service dead-letters real messages into SQLite, the commands (the actormq
/// binary, as the operator runs it) list, show, replay and purge them, and the replayed messages reach the service again.
/// </summary>
public sealed class DeadLettersCliSpec(RabbitMqFixture broker, ITestOutputHelper output)
    : BrokerSpec(broker, output, "actormq.consumer-defaults.retry { delays = [100ms], max-attempts = 2 }"), IClassFixture<RabbitMqFixture>
{
    private readonly string _queue = "cli-orders-" + Guid.NewGuid().ToString("N")[..6];
    private readonly ConcurrentDictionary<string, int> _handled = new();
    private readonly ITestOutputHelper _log = output;
    private volatile bool _broken = true;

    private string ConfigFile(string? uri = null)
    {
        var path = Path.Combine(Path.GetDirectoryName(DeadStorePath)!, "service.conf");
        File.WriteAllText(path, $$"""
            actormq {
              connection.uris = ["{{uri ?? Broker.AmqpUri.ToString()}}"]
              dead-store.sqlite.path = "{{DeadStorePath}}"
            }
            """);
        return path;
    }

    private async Task<CliResult> RunAsync(params string[] args)
    {
        var result = await ActorMqBinary.RunAsync(args);
        _log.WriteLine($"$ actormq {string.Join(' ', args)}  -> {result.ExitCode}\n{result.Output}{result.Error}");
        return result;
    }

    private async Task<IReadOnlyList<MessageDeadLettered>> DeadLetterOrdersAsync(int count)
    {
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>(_queue, (order, context, _) =>
        {
            if (_broken) throw new TimeoutException($"inventory timed out for {order.OrderId}");
            Assert.True(context.Headers.ContainsKey(DeadLetterReplayer.ReplayedFromHeader));
            _handled.AddOrUpdate(order.OrderId, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }));
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        for (var i = 1; i <= count; i++)
            await client.SendAsync(_queue, new OrderPlaced($"o-{i}", 10m * i), new PublishOptions { MessageId = $"o-{i}" });
        var dead = new List<MessageDeadLettered>();
        for (var i = 0; i < count; i++) dead.Add(await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30))));
        return dead;
    }

    [Fact]
    public async Task List_show_replay_one_then_all_and_purge_work_against_the_service_store_and_broker()
    {
        var dead = await DeadLetterOrdersAsync(3);
        var config = ConfigFile();

        var list = await RunAsync("dead-letters", "list", "--config", config, "--queue", _queue, "--json");
        Assert.Equal(0, list.ExitCode);
        using (var json = JsonDocument.Parse(list.Output))
        {
            Assert.Equal(3, json.RootElement.GetProperty("total").GetInt64());
            Assert.All(json.RootElement.GetProperty("items").EnumerateArray(), item =>
            {
                Assert.Equal(typeof(TimeoutException).FullName, item.GetProperty("error_type").GetString());
                Assert.Equal(2, item.GetProperty("attempts").GetInt32());
                Assert.Equal("dead", item.GetProperty("state").GetString());
            });
        }

        var first = dead.OrderBy(d => d.Id).First();
        var show = await RunAsync("dead-letters", "show", $"{first.Id}", "--config", config);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains($"  message id       {first.MessageId}\n", show.Output);
        Assert.Contains($"  queue            {_queue}\n", show.Output);
        Assert.Contains($"inventory timed out for {first.MessageId}", show.Output);
        Assert.Contains($"\"orderId\": \"{first.MessageId}\"", show.Output);

        _broken = false;
        var one = await RunAsync("dead-letters", "replay", "--queue", _queue, "--limit", "1", "--config", config);
        Assert.Equal(0, one.ExitCode);
        Assert.Contains("1 replayed straight to the queues they failed in, 0 failed.", one.Output);
        await AwaitConditionAsync(() => _handled.ContainsKey(first.MessageId!), Dilated(TimeSpan.FromSeconds(30)));
        Assert.Single(_handled);

        var rest = await RunAsync("dead-letters", "replay", "--all", "--config", config, "--json");
        Assert.Equal(0, rest.ExitCode);
        using (var json = JsonDocument.Parse(rest.Output))
        {
            Assert.Equal(2, json.RootElement.GetProperty("replayed").GetInt32());
            Assert.Equal(0, json.RootElement.GetProperty("failed").GetInt32());
        }
        await AwaitConditionAsync(() => _handled.Count == 3, Dilated(TimeSpan.FromSeconds(30)));
        Assert.All(_handled.Values, n => Assert.Equal(1, n));

        var nothing = await RunAsync("dead-letters", "replay", "--all", "--config", config);
        Assert.Equal(0, nothing.ExitCode);
        Assert.Contains("Nothing to replay", nothing.Output);

        // The consumer reported each handled copy: the rows end resolved, and say so in the CLI.
        await AwaitAssertAsync(async () =>
        {
            var resolved = await RunAsync("dead-letters", "list", "--state", "resolved", "--config", config, "--json");
            using var listed = JsonDocument.Parse(resolved.Output);
            Assert.Equal(3, listed.RootElement.GetProperty("total").GetInt64());
            Assert.All(listed.RootElement.GetProperty("items").EnumerateArray(), i => Assert.Equal(JsonValueKind.String, i.GetProperty("resolved_at").ValueKind));
        }, Dilated(TimeSpan.FromSeconds(30)));
        var purge = await RunAsync("dead-letters", "purge", "--state", "resolved", "--yes", "--config", config);
        Assert.Equal(0, purge.ExitCode);
        Assert.Contains("Purged 3 dead letters (state = resolved).", purge.Output);
        var empty = await RunAsync("dead-letters", "list", "--config", config);
        Assert.Contains("No dead letters match.", empty.Output);
    }

    [Fact]
    public async Task A_replay_whose_publish_fails_exits_1_and_leaves_the_row_dead_with_the_error()
    {
        var store = new global::ActorMq.DeadStore.Sqlite.SqliteDeadLetterStoreProvider().Create(
            DeadStoreSettings.Create(ConfigurationFactory.ParseString($"actormq.dead-store.sqlite.path = \"{DeadStorePath}\"").WithFallback(Sys.Settings.Config).WithFallback(ActorMqClient.DefaultConfig())));
        await store.InitializeAsync();
        long id;
        await using (store)
        {
            id = await store.AddAsync(new DeadLetter
            {
                MessageId = "lost-1", Queue = "no-such-queue-" + Guid.NewGuid().ToString("N")[..6], ErrorType = "X", ErrorMessage = "x", Attempts = 1,
                Body = "{}"u8.ToArray(), DeadAt = DateTimeOffset.UtcNow, FirstFailedAt = DateTimeOffset.UtcNow,
            });
        }

        var replay = await RunAsync("dead-letters", "replay", $"{id}", "--config", ConfigFile());

        Assert.Equal(1, replay.ExitCode);
        Assert.Contains("FAILED", replay.Output);
        Assert.Contains("0 replayed straight to the queues they failed in, 1 failed", replay.Output);
        var show = await RunAsync("dead-letters", "show", $"{id}", "--config", ConfigFile(), "--json");
        using var json = JsonDocument.Parse(show.Output);
        Assert.Equal("dead", json.RootElement.GetProperty("state").GetString());
        Assert.Contains("unroutable", json.RootElement.GetProperty("replay_error").GetString());
    }

    [Fact]
    public async Task A_replay_without_a_reachable_broker_exits_1_naming_the_broker()
    {
        await DeadLetterOrdersAsync(1);

        var replay = await RunAsync("dead-letters", "replay", "--all", "--connect-timeout", "2s", "--config", ConfigFile("amqp://guest:secret@127.0.0.1:1/"));

        Assert.Equal(1, replay.ExitCode);
        Assert.Contains("was not reachable within 2s", replay.Error);
        Assert.DoesNotContain("secret", replay.Error);
    }
}
