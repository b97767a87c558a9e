using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ActorMq.Connection;
using ActorMq.IntegrationTests.DeadStore;

namespace ActorMq.Benchmarks.Faults;

/// <summary>
/// The fault harness (issue 15): each scenario publishes messages with unique ids through ActorMq at 100 a second, with
/// confirms, to a consumer whose handler fails every tenth once (retry tier), while the fault happens on servers this suite
/// starts itself (so it may kill them). For each scenario: <c>faults.S.lost</c> (confirmed, neither handled nor in the dead
/// store), <c>faults.S.duplicates</c> (handled more than once), <c>faults.S.recovered_s</c> (the fault's end — the broker
/// accepting connections again — to the link connected and the consumer consuming, the worst of the scenario's faults) and
/// <c>faults.S.duplicates_bound</c>. <c>./build.sh bench faults kill9 freeze</c> runs the named scenarios only.
/// </summary>
public sealed class FaultsSuite : IBenchmarkSuite
{
    private static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromMinutes(2);

    private static readonly Scenario[] Scenarios =
    [
        new("kill9", "kill -9 of the broker's Erlang VM, twice, each time started again on the same data directory", Kill9Async),
        new("connection-storm", "rabbitmqctl close_all_connections every 2 s for 30 s", ConnectionStormAsync),
        new("memory-alarm", "vm_memory_high_watermark forced tiny for 10 s, then restored", MemoryAlarmAsync),
        new("store-outage", "the PostgreSQL dead store stopped for 60 s (quorum queue, delivery-limit 5, every 20th message fails for good)", StoreOutageAsync),
        new("queue-deleted", "the work queue and its retry tier deleted while consuming", QueueDeletedAsync),
        new("cluster-failover", "3 clustered nodes, quorum queues, the queue leader's node stopped", ClusterFailoverAsync),
        new("freeze", "SIGSTOP of the broker's Erlang VM for 30 s, then SIGCONT (heartbeat 5 s)", FreezeAsync),
        new("disk-alarm", "disk_free_limit set above the free space for 10 s, then restored", DiskAlarmAsync),
    ];

    public string Name => "faults";

    public string Description => "fault harness: lost, duplicates, recovery per fault (kill -9, connection storm, alarms, store outage, queue deleted, failover, freeze)";

    public async Task RunAsync(BenchmarkContext context)
    {
        var unknown = context.Arguments.Where(a => Scenarios.All(s => s.Name != a)).ToList();
        if (unknown.Count > 0)
        {
            context.Note($"unknown fault scenario(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Scenarios.Select(s => s.Name))}");
            return;
        }
        var selected = context.Arguments.Count == 0 ? Scenarios : Scenarios.Where(s => context.Arguments.Contains(s.Name)).ToArray();
        context.Note($"private servers of the harness; {1000 / PublishInterval.TotalMilliseconds:0} msg/s with confirms; prefetch {WorkloadOptions.Prefetch}, " +
                     $"publisher max-in-flight {WorkloadOptions.MaxInFlight}, every 10th message fails once (retry tier 1 s)");
        await using var environment = new FaultEnvironment();
        foreach (var scenario in selected)
        {
            var clock = Stopwatch.StartNew();
            context.Note($"{scenario.Name}: {scenario.Fault}");
            try
            {
                await scenario.RunAsync(new ScenarioRun(context, scenario.Name, environment)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                context.Note($"{scenario.Name} did not complete: {e}");
            }
            context.Note($"{scenario.Name} took {clock.Elapsed.TotalSeconds:0} s");
        }
    }

    private static async Task Kill9Async(ScenarioRun run)
    {
        var broker = await run.Environment.BrokerAsync().ConfigureAwait(false);
        await run.RunAsync(new WorkloadOptions(run.Queue, [broker.AmqpUri], run.SqliteStore()), faults: 2, async workload =>
        {
            var recovered = new List<double?>();
            for (var kill = 1; kill <= 2; kill++)
            {
                await Task.Delay(TimeSpan.FromSeconds(4)).ConfigureAwait(false);
                var pid = broker.BeamPid;
                await broker.KillAsync().ConfigureAwait(false);
                var restart = broker.StartAsync();
                await broker.WaitUntilAcceptingAsync(TimeSpan.FromMinutes(2)).ConfigureAwait(false);
                var accepting = DateTimeOffset.UtcNow;
                await restart.ConfigureAwait(false);
                recovered.Add(await workload.RecoveredSecondsAsync(accepting, RecoveryTimeout).ConfigureAwait(false));
                run.Context.Note($"kill9: kill -9 {pid} (beam.smp), the node accepting again as beam.smp {broker.BeamPid}; recovered {Describe(recovered[^1])}");
            }
            return recovered;
        }).ConfigureAwait(false);
    }

    private static async Task ConnectionStormAsync(ScenarioRun run)
    {
        var broker = await run.Environment.BrokerAsync().ConfigureAwait(false);
        await run.RunAsync(new WorkloadOptions(run.Queue, [broker.AmqpUri], run.SqliteStore()), faults: 15, async workload =>
        {
            for (var close = 0; close < 15; close++)
            {
                await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                await broker.CtlAsync("close_all_connections", "fault harness: connection storm").ConfigureAwait(false);
            }
            return [await workload.RecoveredSecondsAsync(DateTimeOffset.UtcNow, RecoveryTimeout).ConfigureAwait(false)];
        }).ConfigureAwait(false);
    }

    private static async Task MemoryAlarmAsync(ScenarioRun run)
    {
        var broker = await run.Environment.BrokerAsync().ConfigureAwait(false);
        await run.RunAsync(new WorkloadOptions(run.Queue, [broker.AmqpUri], run.SqliteStore()), faults: 1, workload =>
            AlarmAsync(run, workload, () => broker.CtlAsync("set_vm_memory_high_watermark", "0.0000001"), () => broker.CtlAsync("set_vm_memory_high_watermark", "0.4")))
            .ConfigureAwait(false);
    }

    private static async Task DiskAlarmAsync(ScenarioRun run)
    {
        var broker = await run.Environment.BrokerAsync().ConfigureAwait(false);
        var above = (new DriveInfo(Path.GetTempPath()).AvailableFreeSpace * 4).ToString(CultureInfo.InvariantCulture);
        await run.RunAsync(new WorkloadOptions(run.Queue, [broker.AmqpUri], run.SqliteStore()), faults: 1, workload =>
            AlarmAsync(run, workload, () => broker.CtlAsync("set_disk_free_limit", above), () => broker.CtlAsync("set_disk_free_limit", "50000000")))
            .ConfigureAwait(false);
    }

    /// <summary>Raises an alarm, waits until the link reports Blocked, holds it 10 s, clears it; the recovery counts from the clearing.</summary>
    private static async Task<IReadOnlyList<double?>> AlarmAsync(ScenarioRun run, FaultWorkload workload, Func<Task> raise, Func<Task> clear)
    {
        await Task.Delay(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        var confirmedBefore = workload.Confirmed;
        DateTimeOffset cleared;
        try
        {
            await raise().ConfigureAwait(false);
            var blocked = Stopwatch.StartNew();
            while ((await workload.Client.GetLinkStateAsync().ConfigureAwait(false)).State != LinkState.Blocked && blocked.Elapsed < TimeSpan.FromSeconds(30))
                await Task.Delay(50).ConfigureAwait(false);
            var confirmedAtBlock = workload.Confirmed;
            run.Context.Note($"{run.Name}: link {(await workload.Client.GetLinkStateAsync().ConfigureAwait(false)).State} {blocked.Elapsed.TotalSeconds:0.0} s after the alarm");
            await Task.Delay(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            run.Context.Note($"{run.Name}: {workload.Confirmed - confirmedAtBlock} publishes confirmed during the 10 s blocked ({confirmedAtBlock - confirmedBefore} between the alarm and Blocked), {workload.Published - workload.Confirmed} waiting");
        }
        finally
        {
            cleared = DateTimeOffset.UtcNow;
            await clear().ConfigureAwait(false);
            run.Context.Note($"{run.Name}: the alarm cleared by a rabbitmqctl call of {(DateTimeOffset.UtcNow - cleared).TotalSeconds:0.0} s (recovery counts from its start)");
        }
        return [await workload.RecoveredSecondsAsync(cleared, RecoveryTimeout).ConfigureAwait(false)];
    }

    private static async Task StoreOutageAsync(ScenarioRun run)
    {
        var broker = await run.Environment.BrokerAsync().ConfigureAwait(false);
        var database = await run.Environment.DatabaseAsync().ConfigureAwait(false);
        var store = $$"""dead-store { provider = postgresql, postgresql { connection-string = "{{database.ConnectionString}}", schema = "faults_{{Guid.NewGuid():N}}" } }""";
        var options = new WorkloadOptions(run.Queue, [broker.AmqpUri], store) { QueueType = "quorum", DeliveryLimit = 5, PermanentEvery = 20 };
        await run.RunAsync(options, faults: 1, async workload =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            await database.StopAsync().ConfigureAwait(false);
            var deadBefore = workload.Client.GetStatistics().DeadLettered; // written before the store went
            await Task.Delay(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            var consumers = await workload.Client.GetConsumersAsync().ConfigureAwait(false);
            run.Context.Note($"store-outage: at the end of the outage {consumers.Sum(c => c.InFlight)} deliveries in flight (held), {workload.Published - workload.Confirmed} publishes unconfirmed");
            await database.StartAgainAsync().ConfigureAwait(false);
            var back = DateTimeOffset.UtcNow;
            var recovered = await workload.RecoveredSecondsAsync(back, RecoveryTimeout).ConfigureAwait(false);
            var writing = Stopwatch.StartNew();
            while (workload.Client.GetStatistics().DeadLettered == deadBefore && writing.Elapsed < TimeSpan.FromMinutes(1))
                await Task.Delay(50).ConfigureAwait(false);
            var caughtUp = Stopwatch.StartNew();
            while ((await workload.Client.GetConsumersAsync().ConfigureAwait(false)).Sum(c => c.InFlight) >= WorkloadOptions.Prefetch / 2 && caughtUp.Elapsed < TimeSpan.FromMinutes(1))
                await Task.Delay(50).ConfigureAwait(false);
            run.Context.Note($"store-outage: the first dead letter since the stop written {(DateTimeOffset.UtcNow - back - caughtUp.Elapsed).TotalSeconds:0.0} s after the store accepted connections; " +
                             $"held deliveries below half the prefetch {(DateTimeOffset.UtcNow - back).TotalSeconds:0.0} s after; {workload.Client.GetStatistics().DeadLettered - deadBefore} dead letters written since then");
            return [recovered];
        }).ConfigureAwait(false);
    }

    private static async Task QueueDeletedAsync(ScenarioRun run)
    {
        var broker = await run.Environment.BrokerAsync().ConfigureAwait(false);
        var deletedWithQueues = 0L;
        await run.RunAsync(new WorkloadOptions(run.Queue, [broker.AmqpUri], run.SqliteStore()), faults: 1, async workload =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            var deleting = DateTimeOffset.UtcNow;
            foreach (var queue in new[] { run.Queue, $"{run.Queue}.retry.1s" })
            {
                var output = await broker.CtlAsync("delete_queue", queue).ConfigureAwait(false);
                var count = Regex.Match(output, @"(\d+) ready messages?") is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
                deletedWithQueues += count;
                run.Context.Note($"queue-deleted: deleted {queue} with {count} ready messages ({output.Trim()})");
            }
            return [await workload.RecoveredSecondsAsync(deleting, RecoveryTimeout).ConfigureAwait(false)];
        }, extra: () => [("deleted_with_queues", deletedWithQueues)]).ConfigureAwait(false);
    }

    private static async Task ClusterFailoverAsync(ScenarioRun run)
    {
        await using var cluster = new FaultNodes();
        var nodes = await Task.WhenAll(cluster.StartAsync("a"), cluster.StartAsync("b"), cluster.StartAsync("c")).ConfigureAwait(false);
        foreach (var node in nodes.Skip(1))
        {
            await node.CtlAsync("stop_app").ConfigureAwait(false);
            await node.CtlAsync("join_cluster", nodes[0].NodeName).ConfigureAwait(false);
            await node.CtlAsync("start_app").ConfigureAwait(false);
            await node.CtlAsync("await_startup").ConfigureAwait(false);
        }
        run.Context.Note($"cluster-failover: {string.Join(", ", nodes.Select(n => $"{n.NodeName} on {n.Port}"))} clustered");
        var options = new WorkloadOptions(run.Queue, nodes.Select(n => n.AmqpUri).ToList(), run.SqliteStore()) { QueueType = "quorum" };
        await run.RunAsync(options, faults: 1, async workload =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            var listing = await nodes[1].CtlAsync("list_queues", "name", "leader").ConfigureAwait(false);
            var leaderName = listing.Split('\n').Select(l => l.Split('\t')).FirstOrDefault(f => f.Length == 2 && f[0] == run.Queue)?[1].Trim();
            var leader = nodes.FirstOrDefault(n => n.NodeName == leaderName)
                ?? throw new InvalidOperationException($"no leader of {run.Queue} in: {listing}");
            var link = await workload.Client.GetLinkStateAsync().ConfigureAwait(false);
            var stopped = DateTimeOffset.UtcNow;
            await leader.StopAsync().ConfigureAwait(false);
            run.Context.Note($"cluster-failover: the leader of {run.Queue}, {leader.NodeName}, stopped (the link was on {link.Endpoint}), in {(DateTimeOffset.UtcNow - stopped).TotalSeconds:0.0} s");
            var recovered = await workload.RecoveredSecondsAsync(stopped, RecoveryTimeout).ConfigureAwait(false);
            run.Context.Note($"cluster-failover: the link now on {(await workload.Client.GetLinkStateAsync().ConfigureAwait(false)).Endpoint}");
            return [recovered];
        }).ConfigureAwait(false);
    }

    private static async Task FreezeAsync(ScenarioRun run)
    {
        var broker = await run.Environment.BrokerAsync().ConfigureAwait(false);
        var options = new WorkloadOptions(run.Queue, [broker.AmqpUri], run.SqliteStore()) { ExtraHocon = "actormq.connection.heartbeat = 5s" };
        await run.RunAsync(options, faults: 1, async workload =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            await broker.FreezeAsync().ConfigureAwait(false);
            var frozen = DateTimeOffset.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            await broker.ThawAsync().ConfigureAwait(false);
            var thawed = DateTimeOffset.UtcNow;
            var down = workload.Events.FirstOrDefault(e => e.At >= frozen && e.Event is LinkStateChanged { State: LinkState.Connecting });
            run.Context.Note(down.Event is null ? "freeze: the link never reported the frozen broker"
                : $"freeze: link Connecting {(down.At - frozen).TotalSeconds:0.0} s after SIGSTOP ({((LinkStateChanged)down.Event).Reason})");
            return [await workload.RecoveredSecondsAsync(thawed, RecoveryTimeout).ConfigureAwait(false)];
        }).ConfigureAwait(false);
    }

    private static string Describe(double? seconds) => seconds is { } s ? $"{s:0.00} s" : "never (timed out)";

    private sealed record Scenario(string Name, string Fault, Func<ScenarioRun, Task> RunAsync);

    /// <summary>One scenario's run: its name, queue, the servers, and the common measurement around its fault script.</summary>
    private sealed class ScenarioRun(BenchmarkContext context, string name, FaultEnvironment environment)
    {
        public BenchmarkContext Context { get; } = context;

        public string Name { get; } = name;

        public FaultEnvironment Environment { get; } = environment;

        public string Queue { get; } = $"faults.{name}";

        public string SqliteStore() => $$"""dead-store.sqlite { path = "{{Path.Combine(Environment.Directory, Name + ".db")}}", synchronous = normal }""";

        /// <summary>
        /// Starts the workload, publishes while <paramref name="fault"/> runs (it returns each fault's recovery), 2 s more,
        /// then waits for every publish and for everything to settle, and reports.
        /// </summary>
        public async Task RunAsync(WorkloadOptions options, int faults, Func<FaultWorkload, Task<IReadOnlyList<double?>>> fault,
            Func<IEnumerable<(string Figure, double Value)>>? extra = null)
        {
            await using var workload = await FaultWorkload.StartAsync(options).ConfigureAwait(false);
            using var stop = new CancellationTokenSource();
            var publishing = workload.PublishUntilAsync(Name, PublishInterval, stop.Token);
            IReadOnlyList<double?> recovered;
            try
            {
                recovered = await fault(workload).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await publishing.ConfigureAwait(false);
            }
            var publishes = workload.AllPublishesSettledAsync();
            if (await Task.WhenAny(publishes, Task.Delay(TimeSpan.FromMinutes(2))).ConfigureAwait(false) != publishes)
                Context.Note($"{Name}: {workload.Published - workload.Confirmed - workload.PublishFailures} publishes still unanswered 2 minutes after the last");
            var settled = await workload.SettleAsync(TimeSpan.FromMinutes(2)).ConfigureAwait(false);
            var (lost, duplicates, handled, dead) = await workload.CountAsync().ConfigureAwait(false);

            Context.Note($"{Name}: {workload.Published} published, {workload.Confirmed} confirmed, {workload.PublishFailures} failed" +
                         (workload.FirstPublishFailure is { } first ? $" (first: {first})" : "") +
                         $"; {handled} ids handled, {dead} dead-lettered; settled {settled.TotalSeconds:0.0} s after the last publish");
            if (lost > 0)
            {
                var ids = await workload.LostIdsAsync().ConfigureAwait(false);
                var (failedOnce, cancelled) = workload.Explain(ids);
                Context.Note($"{Name}: lost ids (first 20): {string.Join(", ", ids.Take(20))}; {failedOnce} of the {ids.Count} had failed their first attempt " +
                             $"(a confirmed copy in the retry tier), {cancelled} others were in a handler cancelled by a consumer restart (unacked), {ids.Count - failedOnce - cancelled} never failed nor had a handler cancelled");
            }
            Context.Report($"faults.{Name}.confirmed", workload.Confirmed);
            Context.Report($"faults.{Name}.dead_lettered", dead);
            foreach (var (figure, value) in extra?.Invoke() ?? []) Context.Report($"faults.{Name}.{figure}", value);
            Context.Report($"faults.{Name}.lost", lost);
            Context.Report($"faults.{Name}.duplicates", duplicates);
            Context.Report($"faults.{Name}.recovered_s", recovered.Any(r => r is null) ? -1 : Math.Round(recovered.Max(r => r!.Value), 2));
            Context.Report($"faults.{Name}.duplicates_bound", (WorkloadOptions.Prefetch + WorkloadOptions.MaxInFlight) * faults);
            Context.Note($"{Name}: duplicates_bound = (prefetch {WorkloadOptions.Prefetch} + publisher max-in-flight {WorkloadOptions.MaxInFlight}) x {faults} fault(s); recovered_s -1 = not recovered within {RecoveryTimeout.TotalMinutes:0} min");
        }
    }

    /// <summary>The servers the scenarios share, started on first use: one RabbitMQ node, one PostgreSQL cluster, a temp directory.</summary>
    private sealed class FaultEnvironment : IAsyncDisposable
    {
        private readonly FaultNodes _nodes = new();
        private FaultNode? _broker;
        private PostgresCluster? _database;

        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("actormq-faults.").FullName;

        public async Task<FaultNode> BrokerAsync() => _broker ??= await _nodes.StartAsync("single").ConfigureAwait(false);

        public async Task<PostgresCluster> DatabaseAsync() => _database ??= await PostgresCluster.StartAsync().ConfigureAwait(false);

        public async ValueTask DisposeAsync()
        {
            if (_database is not null) await _database.DisposeAsync().ConfigureAwait(false);
            await _nodes.DisposeAsync().ConfigureAwait(false);
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
