using System.Diagnostics;
using System.Text;
using ActorMq.DeadStore;
using ActorMq.DeadStore.PostgreSql;
using ActorMq.DeadStore.Sqlite;
using Npgsql;

namespace ActorMq.Benchmarks.Retry;

/// <summary>
/// One measurement of the <c>retry</c> suite. The suite runs every implementation in this assembly,
/// ordered by <see cref="Order"/>: add a class to add figures (the retry actor's, for example).
/// </summary>
internal interface IRetryMeasurement
{
    /// <summary>Smaller runs first.</summary>
    int Order { get; }

    Task RunAsync(BenchmarkContext context);
}

/// <summary>The <c>retry</c> suite: retries through TTL queues and the dead store behind them.</summary>
public sealed class RetryBenchmarkSuite : IBenchmarkSuite
{
    public string Name => "retry";

    public string Description => "retry path: batched dead-letter writes to SQLite and PostgreSQL (rows/s)";

    public async Task RunAsync(BenchmarkContext context)
    {
        var measurements = typeof(RetryBenchmarkSuite).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IRetryMeasurement).IsAssignableFrom(t))
            .Select(t => (IRetryMeasurement)Activator.CreateInstance(t, nonPublic: true)!)
            .OrderBy(m => m.Order)
            .ThenBy(m => m.GetType().Name, StringComparer.Ordinal);
        foreach (var measurement in measurements) await measurement.RunAsync(context);
    }
}

/// <summary>
/// Dead-letter writes as the DeadStoreActor makes them under load: batches of realistic rows
/// (~1 KB JSON body, the headers a retried message carries) committed in one transaction each.
/// Figures: <c>retry.deadstore.sqlite.per_s</c>, <c>retry.deadstore.postgresql.per_s</c> (rows per
/// second; PostgreSQL only when <c>ACTORMQ_TEST_POSTGRES</c> names a server).
/// </summary>
internal sealed class DeadStoreBenchmark : IRetryMeasurement
{
    private const int BatchSize = 250;
    private const int RowsPerRound = 15_000;
    private const int Rounds = 3;
    private const int WarmupRows = 2_000;

    public int Order => 100;

    public async Task RunAsync(BenchmarkContext context)
    {
        await RunSqliteAsync(context);
        await RunPostgreSqlAsync(context);
    }

    private static async Task RunSqliteAsync(BenchmarkContext context)
    {
        var directory = Directory.CreateTempSubdirectory("actormq-bench-dead-").FullName;
        try
        {
            var settings = Settings() with
            {
                Sqlite = new SqliteStoreSettings(Path.Combine(directory, "actormq-dead.db"), TimeSpan.FromSeconds(5), SqliteSynchronous.Full),
            };
            await using var store = new SqliteDeadLetterStore(settings);
            await store.InitializeAsync();
            context.Report("retry.deadstore.sqlite.per_s", await MeasureAsync(store));
            context.Note($"sqlite: {SingleRowNote(await MeasureSingleAsync(store))}, synchronous=full, WAL, batches of {BatchSize}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task RunPostgreSqlAsync(BenchmarkContext context)
    {
        var server = Environment.GetEnvironmentVariable("ACTORMQ_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            context.Note("postgresql skipped: set ACTORMQ_TEST_POSTGRES to an Npgsql connection string (./build.sh bench starts a private server and sets it)");
            return;
        }
        var schema = $"bench_{Guid.NewGuid():N}";
        var settings = Settings() with { PostgreSql = new PostgreSqlStoreSettings(server, schema, TimeSpan.FromSeconds(60)) };
        try
        {
            await using var store = new PostgreSqlDeadLetterStore(settings);
            await store.InitializeAsync();
            context.Report("retry.deadstore.postgresql.per_s", await MeasureAsync(store));
            context.Note($"postgresql: {SingleRowNote(await MeasureSingleAsync(store))}, batches of {BatchSize} in one transaction each");
        }
        finally
        {
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// Rows per second writing batches, after a warm-up: the median of <see cref="Rounds"/> rounds of
    /// <see cref="RowsPerRound"/> rows (the machine is shared; the median keeps one noisy round from
    /// deciding the figure). Only the store calls are timed: each batch is built just before it is
    /// written, outside the clock.
    /// </summary>
    private static async Task<double> MeasureAsync(IDeadLetterStore store)
    {
        for (var written = 0; written < WarmupRows; written += BatchSize) await store.AddBatchAsync(Batch(written));

        var rates = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            var clock = new Stopwatch();
            for (var written = 0; written < RowsPerRound; written += BatchSize)
            {
                var batch = Batch(WarmupRows + round * RowsPerRound + written);
                clock.Start();
                await store.AddBatchAsync(batch);
                clock.Stop();
            }
            rates.Add(RowsPerRound / clock.Elapsed.TotalSeconds);
        }
        return Math.Round(rates.Order().ElementAt(rates.Count / 2));
    }

    private static List<DeadLetter> Batch(int first) => Enumerable.Range(first, BatchSize).Select(Letter).ToList();

    /// <summary>Single-row adds per second, each its own durable commit (the DeadStoreActor's unbatched path).</summary>
    private static async Task<double> MeasureSingleAsync(IDeadLetterStore store)
    {
        const int count = 500;
        var letters = Enumerable.Range(0, count).Select(Letter).ToList();
        var clock = Stopwatch.StartNew();
        foreach (var letter in letters) await store.AddAsync(letter);
        return Math.Round(count / clock.Elapsed.TotalSeconds);
    }

    private static string SingleRowNote(double perSecond) => $"single-row adds (one commit each) {perSecond}/s";

    private static DeadStoreSettings Settings() =>
        new("sqlite", TimeSpan.FromMinutes(5),
            new SqliteStoreSettings("unused.db", TimeSpan.FromSeconds(5), SqliteSynchronous.Full),
            new PostgreSqlStoreSettings("", "", TimeSpan.FromSeconds(30)));

    private static readonly string Padding = new('x', 700);

    /// <summary>A dead letter as the retry path writes it: ~1 KB JSON body, the retry and failure headers as RabbitMQ.Client delivers them.</summary>
    private static DeadLetter Letter(int n)
    {
        var now = DateTimeOffset.UtcNow;
        return new DeadLetter
        {
            MessageId = $"msg-{n:D8}-{Guid.NewGuid():N}",
            Queue = $"orders-{n % 4}",
            Exchange = "shop",
            RoutingKey = "orders.created",
            Properties = new DeadLetterProperties { ContentType = "application/json", DeliveryMode = 2, MessageId = $"msg-{n:D8}", Timestamp = now.ToUnixTimeSeconds(), Type = "OrderCreated" },
            Headers = new Dictionary<string, object?>
            {
                ["retry-count"] = 4,
                ["error-type"] = Encoding.UTF8.GetBytes("System.TimeoutException"),
                ["error-message"] = Encoding.UTF8.GetBytes("The operation has timed out after 00:00:30."),
                ["failed-at"] = Encoding.UTF8.GetBytes(now.ToString("O")),
                ["original-exchange"] = Encoding.UTF8.GetBytes("shop"),
                ["original-routing-key"] = Encoding.UTF8.GetBytes("orders.created"),
                ["traceparent"] = Encoding.UTF8.GetBytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            },
            Body = Encoding.UTF8.GetBytes($$"""{"orderId":"{{Guid.NewGuid()}}","customer":"c-{{n % 977}}","lines":[{"sku":"A-1","qty":2},{"sku":"B-7","qty":1}],"note":"{{Padding}}"}"""),
            ErrorType = "System.TimeoutException",
            ErrorMessage = "The operation has timed out after 00:00:30.",
            ErrorDetail = "   at Shop.Orders.OrderCreatedHandler.HandleAsync(OrderCreated message, CancellationToken ct)\n   at ActorMq.Consuming.HandlerActor.RunAsync()",
            Attempts = 4,
            FirstFailedAt = now - TimeSpan.FromMinutes(6),
            DeadAt = now,
        };
    }
}
