using Spectre.Console;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ActorMq.Cli.Broker;
using ActorMq.Cli.Commands;
using ActorMq.Cli.DeadLetters;
using ActorMq.Cli.Terminal;
using ActorMq.DeadStore;
using Akka.Configuration;
using ActorMq.Settings;
using Microsoft.Extensions.Logging;

namespace ActorMq.Cli.Demo;

/// <summary>An order as the producers publish it.</summary>
internal sealed record OrderMessage(string OrderId, decimal Amount);

/// <summary>An order in the legacy format (amount as a string): the demo's poison message.</summary>
internal sealed record LegacyOrderMessage(string OrderId, string Amount);

/// <summary>
/// One run of the order-processing demo: producers publish the planned orders, the flaky handler fails some (they walk
/// the retry tiers, some end in the SQLite dead store of a temporary directory), the handler is fixed, the dead letters
/// are replayed (one first, then the rest) and handled. Exit code 0 when everything happened as planned.
/// </summary>
internal sealed class DemoRun(Config config, DemoSettings settings, CliConsole console)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>Runs the demo in a temporary directory that is deleted afterwards.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("actormq-demo.");
        try
        {
            return await RunInAsync(directory.FullName, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try { directory.Delete(recursive: true); }
            catch (IOException) { /* a file still held open: the temporary directory is left behind */ }
        }
    }

    private async Task<int> RunInAsync(string directory, CancellationToken cancellationToken)
    {
        var storePath = Path.Combine(directory, "dead-letters.db");
        var effective = ConfigurationFactory.ParseString($"actormq.dead-store.sqlite.path = {JsonSerializer.Serialize(storePath)}").WithFallback(config);
        var actorMq = ActorMqSettings.Create(effective.WithFallback(ActorMqClient.DefaultConfig()));
        var consumer = actorMq.Consumer(DemoSettings.Consumer);
        var plan = OrderPlan.Create(settings, consumer.Retry.MaxAttempts, Guid.NewGuid().ToString("N")[..6]);
        var progress = new DemoProgress(plan, consumer.Retry.Delays);
        var handler = new OrderHandler(plan, progress);
        var output = console.Out;
        var ansi = console.Ansi();

        await output.WriteAsync(Introduction(actorMq, consumer, plan, storePath)).ConfigureAwait(false);
        await using var session = await BrokerSession.StartAsync(effective, b => b.AddHandler<JsonElement>(DemoSettings.Consumer, handler.HandleAsync),
            ConnectTimeout, console, LogLevel.Error, cancellationToken).ConfigureAwait(false);
        var client = session.Client;
        DemoEventListener.Start(session.System, progress);

        var orders = plan.Orders.Count;
        progress.Phase = "publishing";
        var settled = await WithViewAsync(progress, client, async () =>
        {
            await PublishAsync(client, consumer.Queue, plan, progress, cancellationToken).ConfigureAwait(false);
            progress.Phase = "retries settling";
            return await WaitAsync(() => progress.HandledCount + progress.DeadLettered.Count >= orders && progress.Waiting == 0, cancellationToken)
                .ConfigureAwait(false);
        }).ConfigureAwait(false);
        if (!settled) await output.WriteLineAsync($"Gave up after {settings.SettleTimeout.TotalSeconds:0}s: not every order was handled or dead-lettered.").ConfigureAwait(false);

        var deadFilter = new DeadLetterFilter { Queue = consumer.Queue, States = [DeadLetterState.Dead] };
        var parked = await client.DeadLetterStore.ListAsync(new DeadLetterQuery { Filter = deadFilter, Limit = 1000 }, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"{progress.HandledCount} orders handled, {parked.Total} in the dead store. `actormq dead-letters list` would show:").ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        if (parked.Items.Count > 0) ansi.Write(DeadLetterText.Table(console, ansi, parked.Items));
        await output.WriteLineAsync().ConfigureAwait(false);
        ansi.Write(DeadLetterText.Counts(console, ansi, await client.DeadLetterStore.CountAsync(deadFilter, cancellationToken).ConfigureAwait(false)));
        await output.WriteLineAsync().ConfigureAwait(false);

        await output.WriteLineAsync("Fixing the handler: legacy amounts are parsed now, and the inventory service is back.").ConfigureAwait(false);
        handler.Fix();
        var replays = new List<ReplayOutcome>();
        var replayFilter = new DeadLetterFilter { Queue = consumer.Queue };
        foreach (var (phase, limit) in new[] { ("replaying one dead letter first", (int?)1), ("replaying the rest", null) })
        {
            await output.WriteLineAsync(char.ToUpperInvariant(phase[0]) + phase[1..] + " (`actormq dead-letters replay " +
                                        (limit is null ? $"--queue {consumer.Queue}`)" : $"--queue {consumer.Queue} --limit 1`)")).ConfigureAwait(false);
            progress.Phase = phase;
            await WithViewAsync(progress, client, async () =>
            {
                var result = await client.ReplayDeadLettersAsync(replayFilter, new ReplayOptions { Limit = limit }, cancellationToken).ConfigureAwait(false);
                progress.OnReplayed(result);
                replays.AddRange(result.Outcomes);
                var expected = replays.Count(o => o.Replayed);
                return await WaitAsync(() => progress.HandledAfterReplayCount >= expected, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        progress.Phase = "done";

        var left = (await client.DeadLetterStore.ListAsync(new DeadLetterQuery { Filter = deadFilter, Limit = 1 }, cancellationToken).ConfigureAwait(false)).Total;
        return await VerdictAsync(plan, progress, replays, left).ConfigureAwait(false);
    }

    private string Introduction(ActorMqSettings actorMq, ConsumerSettings consumer, OrderPlan plan, string storePath)
    {
        var tiers = string.Join(" -> ", consumer.Retry.Delays.Select(DemoProgress.DelayText));
        var poison = plan.Orders.Count(o => o.Poison);
        var exhausted = plan.ExpectedDeadLetters.Count - poison;
        return string.Create(CultureInfo.InvariantCulture, $"""
            ActorMq demo: order processing
              {plan.Orders.Count} orders from {settings.Producers} producers over {settings.PublishDuration.TotalSeconds:0}s into queue {consumer.Queue} (broker {string.Join(", ", actorMq.Connection.Endpoints)}).
              The handler fails some orders with a retryable error (the inventory service times out): they walk the retry tiers {tiers}.
              {poison} orders come in a legacy format the handler rejects as a bad payload: a permanent failure, no retries.
              Orders failing all {consumer.Retry.MaxAttempts} attempts, and the bad payloads, land in the dead store (SQLite, {storePath}):
              {plan.ExpectedDeadLetters.Count} expected ({poison} bad payload, {exhausted} retries exhausted), after {plan.ExpectedRetries} retries.
              Then the handler is fixed and the dead letters are replayed.

            """);
    }

    /// <summary>
    /// Runs <paramref name="work"/> while showing the progress: on a terminal Spectre.Console progress bars redrawn every
    /// <c>refresh-interval</c>; otherwise one plain line per <c>plain-interval</c>.
    /// </summary>
    private async Task<T> WithViewAsync<T>(DemoProgress progress, ActorMqClient client, Func<Task<T>> work)
    {
        if (!console.IsTerminal) return await WithPlainLinesAsync(progress, client, work).ConfigureAwait(false);
        var result = default(T)!;
        await console.Ansi().Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Spectre.Console.Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async context =>
            {
                var view = new DemoProgressBars(context, progress.Snapshot(null));
                using var timer = new PeriodicTimer(settings.RefreshInterval);
                var running = work();
                while (!running.IsCompleted)
                {
                    view.Update(progress.Snapshot(client.GetStatistics()));
                    await Task.WhenAny(running, timer.WaitForNextTickAsync().AsTask()).ConfigureAwait(false);
                }
                result = await running.ConfigureAwait(false);
                view.Update(progress.Snapshot(client.GetStatistics()));
            }).ConfigureAwait(false);
        return result;
    }

    private async Task<T> WithPlainLinesAsync<T>(DemoProgress progress, ActorMqClient client, Func<Task<T>> work)
    {
        using var timer = new PeriodicTimer(settings.PlainInterval);
        await console.Out.WriteLineAsync(progress.Snapshot(client.GetStatistics()).PlainLine()).ConfigureAwait(false);
        var running = work();
        while (!running.IsCompleted)
        {
            if (await Task.WhenAny(running, timer.WaitForNextTickAsync().AsTask()).ConfigureAwait(false) != running)
                await console.Out.WriteLineAsync(progress.Snapshot(client.GetStatistics()).PlainLine()).ConfigureAwait(false);
        }
        var result = await running.ConfigureAwait(false);
        await console.Out.WriteLineAsync(progress.Snapshot(client.GetStatistics()).PlainLine()).ConfigureAwait(false);
        return result;
    }

    private async Task PublishAsync(ActorMqClient client, string queue, OrderPlan plan, DemoProgress progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var spacing = settings.PublishDuration / plan.Orders.Count;
        await Task.WhenAll(Enumerable.Range(0, settings.Producers).Select(async producer =>
        {
            for (var i = producer; i < plan.Orders.Count; i += settings.Producers)
            {
                var wait = spacing * i - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                var order = plan.Orders[i];
                var options = new PublishOptions { MessageId = order.OrderId };
                if (order.Poison)
                    await client.SendAsync(queue, new LegacyOrderMessage(order.OrderId, order.Amount.ToString("0.00", CultureInfo.InvariantCulture)), options, cancellationToken)
                        .ConfigureAwait(false);
                else await client.SendAsync(queue, new OrderMessage(order.OrderId, order.Amount), options, cancellationToken).ConfigureAwait(false);
                progress.Published();
            }
        })).ConfigureAwait(false);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (true) or the settle timeout passes (false).</summary>
    private async Task<bool> WaitAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > settings.SettleTimeout) return false;
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    private async Task<int> VerdictAsync(OrderPlan plan, DemoProgress progress, IReadOnlyList<ReplayOutcome> replays, long deadLeft)
    {
        var expectedDead = plan.ExpectedDeadLetters;
        var missing = plan.Orders.Select(o => o.OrderId).Where(id => !progress.HandledOrders.Contains(id)).ToList();
        var dead = progress.DeadLettered.Keys.ToHashSet(StringComparer.Ordinal);
        var checks = new List<(bool Ok, string What)>
        {
            (missing.Count == 0, missing.Count == 0
                ? $"all {plan.Orders.Count} orders handled"
                : $"{missing.Count} orders never handled: {string.Join(", ", missing.Take(10))}"),
            (dead.SetEquals(expectedDead), $"{dead.Count} orders dead-lettered (expected {expectedDead.Count})"),
            (progress.Retried == plan.ExpectedRetries, $"{progress.Retried} retries through the tiers (expected {plan.ExpectedRetries})"),
            (replays.Count == expectedDead.Count && replays.All(r => r.Replayed),
                $"{replays.Count(r => r.Replayed)} dead letters replayed, {replays.Count(r => !r.Replayed)} failed (expected {expectedDead.Count} replayed)"),
            (progress.HandledAfterReplayCount == expectedDead.Count, $"{progress.HandledAfterReplayCount} replayed orders handled by the fixed handler"),
            (deadLeft == 0, $"{deadLeft} dead letters left in state dead"),
        };
        await console.Out.WriteLineAsync().ConfigureAwait(false);
        foreach (var (ok, what) in checks) await console.Out.WriteLineAsync($"  {(ok ? "ok    " : "FAILED")}  {what}").ConfigureAwait(false);
        var twice = progress.HandledTwice.ToList();
        if (twice.Count > 0)
            await console.Out.WriteLineAsync($"  note    {twice.Count} orders were handled twice (at-least-once delivery): {string.Join(", ", twice.Take(10))}").ConfigureAwait(false);
        var passed = checks.All(c => c.Ok);
        await console.Out.WriteLineAsync().ConfigureAwait(false);
        await console.Out.WriteLineAsync(passed
            ? "Demo finished: every order was handled, the failures were retried or parked, and the parked ones replayed."
            : "Demo FAILED: see the checks above.").ConfigureAwait(false);
        return passed ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
