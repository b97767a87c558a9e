using System.Diagnostics;
using System.Text;
using ActorMq.DeadStore;
using ActorMq.DeadStore.Sql;
using ActorMq.DeadStore.Sqlite;
using Microsoft.Data.Sqlite;

namespace ActorMq.Benchmarks.Workbench;

/// <summary>
/// The operator's dead-letter workbench on a big SQLite store: 1,000,000 dead letters from 20 causes (5 queues, 4 kinds of
/// failure, each message naming its own order id, amount and attempt), written through the store's batched inserts (one
/// transaction per batch). Figures: <c>workbench.groups_ms_1m</c> (the failure groups of the dead rows, one SQL GROUP BY)
/// and <c>workbench.search_ms_1m</c> (a message-id lookup plus the slowest of three full-text searches — words of the error
/// message matching a quarter of the rows, words of the body, a header value — each a page of 50 with its
/// total), medians of 5 runs after a warm-up.
/// </summary>
public sealed class WorkbenchSuite : IBenchmarkSuite
{
    private const int Rows = 1_000_000;
    private const int BatchSize = 50_000;
    private const int Runs = 5;

    private static readonly string[] Queues = ["orders", "payments", "shipping", "invoices", "stock"];

    private static readonly (string Type, string Message, string Frame)[] Causes =
    [
        ("System.TimeoutException", "inventory service timed out reserving stock for order {0} after {1} ms", "Shop.Inventory.ReserveAsync(Order order)"),
        ("Shop.PaymentRefusedException", "payment of {1} EUR refused for order {0}: card declined", "Shop.Payments.ChargeAsync(Order order)"),
        ("System.Text.Json.JsonException", "bad payload: order {0}: amount must be a number, got '{1}x'", "Shop.Orders.Parse(Byte[] body)"),
        ("Npgsql.PostgresException", "23505: duplicate key value violates unique constraint \"orders_pkey\" (order {0}, attempt {1})", "Shop.Orders.SaveAsync(Order order)"),
    ];

    public string Name => "workbench";

    public string Description => "dead-letter workbench on SQLite: failure groups and search over 1,000,000 dead letters from 20 causes (ms)";

    public async Task RunAsync(BenchmarkContext context)
    {
        var directory = Directory.CreateTempSubdirectory("actormq-bench-workbench-").FullName;
        try
        {
            var settings = new DeadStoreSettings("sqlite", TimeSpan.FromMinutes(5),
                new SqliteStoreSettings(Path.Combine(directory, "actormq-dead.db"), TimeSpan.FromSeconds(30), SqliteSynchronous.Normal),
                new PostgreSqlStoreSettings("", "", TimeSpan.FromSeconds(30)));
            await using var store = new SqliteDeadLetterStore(settings);
            await store.InitializeAsync();

            var fill = Stopwatch.StartNew();
            var start = DateTimeOffset.UtcNow - TimeSpan.FromDays(7);
            for (var first = 0; first < Rows; first += BatchSize)
            {
                var batch = new List<DeadLetter>(BatchSize);
                for (var i = first; i < first + BatchSize && i < Rows; i++) batch.Add(Letter(i, start));
                await store.AddBatchAsync(batch);
            }
            fill.Stop();
            context.Note($"filled {Rows:N0} rows in {fill.Elapsed.TotalSeconds:0.0} s ({Rows / fill.Elapsed.TotalSeconds:N0} rows/s, batches of {BatchSize:N0}, one transaction each); " +
                $"file {new FileInfo(settings.Sqlite.Path).Length / (1024 * 1024):N0} MiB");

            // The rows' words, indexed for search as the DeadStoreActor does while it has nothing to write.
            var index = Stopwatch.StartNew();
            while (await store.IndexForSearchAsync(10_000) > 0)
            {
            }
            index.Stop();
            context.Note($"indexed the {Rows:N0} rows for search in {index.Elapsed.TotalSeconds:0.0} s ({Rows / index.Elapsed.TotalSeconds:N0} rows/s); " +
                $"file {new FileInfo(settings.Sqlite.Path).Length / (1024 * 1024):N0} MiB");

            var dead = new DeadLetterFilter { States = [DeadLetterState.Dead] };
            IReadOnlyList<DeadLetterGroup> groups = [];
            var groupsMs = await MedianAsync(async () => groups = await store.GroupsAsync(dead));
            context.Note($"groups query plan: {Plan(settings.Sqlite.Path, dead)}");
            context.Note($"{groups.Count} groups, largest {groups[0].Count:N0} rows: {groups[0].Queue} {groups[0].ErrorType} \"{groups[0].Pattern}\"");

            var probe = Rows - 12_345;
            var byId = await MedianAsync(() => store.ListAsync(new DeadLetterQuery
            {
                Filter = dead with { MessageId = MessageId(probe) }, Order = DeadLetterOrder.NewestFirst, Limit = 50, IncludeBodies = false,
            }));
            async Task<(double Ms, long Total)> Timed(DeadLetterFilter filter)
            {
                DeadLetterPage found = new([], 0);
                var ms = await MedianAsync(async () => found = await store.ListAsync(new DeadLetterQuery
                {
                    Filter = filter, Order = DeadLetterOrder.NewestFirst, Limit = 50, IncludeBodies = false,
                }));
                return (ms, found.Total);
            }
            var (byWords, wordMatches) = await Timed(dead with { Search = "card declined" });
            var (byBody, bodyMatches) = await Timed(dead with { Search = "\"sku\":\"S-17\"" });
            var (byHeader, headerMatches) = await Timed(dead with { Search = "tenant 7" });
            var (byContains, containsMatches) = await Timed(dead with { ErrorMessageContains = "card declined" });
            context.Note($"message-id lookup {byId:0.0} ms; search of the error's words \"card declined\" {byWords:0.0} ms ({wordMatches:N0} matches); " +
                $"of the body's words \"sku S-17\" {byBody:0.0} ms ({bodyMatches:N0}); of a header value \"tenant 7\" {byHeader:0.0} ms ({headerMatches:N0}); " +
                $"error message contains (a scan, case-sensitive) {byContains:0.0} ms ({containsMatches:N0})");
            context.Report("workbench.groups_ms_1m", Math.Round(groupsMs, 1));
            context.Report("workbench.search_ms_1m", Math.Round(byId + Math.Max(byWords, Math.Max(byBody, byHeader)), 1));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>SQLite's plan for the groups query: which index the aggregate walks.</summary>
    private static string Plan(string path, DeadLetterFilter filter)
    {
        var sql = new DeadLetterSql(new SqlDialect("dead_letters", "actormq_dead_store_migrations", "actormq_dead_store_meta", "instr", GroupsIndexHint: " INDEXED BY ix_dead_letters_group")).Groups(filter, 1000);
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql.Text;
        foreach (var (name, value) in sql.Parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read()) steps.Add(reader.GetString(3));
        return string.Join("; ", steps);
    }

    private static async Task<double> MedianAsync(Func<Task> run)
    {
        await run();
        var times = new List<double>(Runs);
        for (var i = 0; i < Runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[Runs / 2];
    }

    private static string MessageId(int i) => $"m-{i:x8}";

    private static DeadLetter Letter(int i, DateTimeOffset start)
    {
        var cause = Causes[i % Causes.Length];
        var queue = Queues[i / Causes.Length % Queues.Length];
        var order = $"{i * 7919L % 1_000_003:x6}-{i % 10_000:0000}";
        var deadAt = start + TimeSpan.FromMilliseconds(i * 600L);
        return new DeadLetter
        {
            MessageId = MessageId(i),
            Queue = queue,
            Exchange = "shop",
            RoutingKey = $"{queue}.created",
            Properties = new DeadLetterProperties { ContentType = "application/json", DeliveryMode = 2, MessageId = MessageId(i), Type = "OrderCreated" },
            Headers = new Dictionary<string, object?> { ["retry-count"] = 4, ["tenant"] = $"tenant-{i % 50}" },
            Body = Encoding.UTF8.GetBytes($$"""{"order":"{{order}}","amount":{{i % 977}}.50,"lines":[{"sku":"S-{{i % 313}}","qty":{{1 + i % 5}}}]}"""),
            ErrorType = cause.Type,
            ErrorMessage = string.Format(System.Globalization.CultureInfo.InvariantCulture, cause.Message, order, 100 + i % 9000),
            ErrorDetail = $"{cause.Type}: ...\n   at {cause.Frame} in /src/Shop/Handlers.cs:line {40 + i % 7}\n" +
                "   at Shop.Orders.OrderHandler.HandleAsync(Order order, MessageContext context)\n   at ActorMq.Consuming.HandlerActor.RunAsync()",
            Attempts = 4,
            FirstFailedAt = deadAt - TimeSpan.FromMinutes(6),
            DeadAt = deadAt,
        };
    }
}
