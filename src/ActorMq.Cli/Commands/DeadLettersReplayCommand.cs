using Spectre.Console;
using System.CommandLine;
using ActorMq.Cli.Broker;
using ActorMq.Cli.DeadLetters;
using ActorMq.Cli.Terminal;
using ActorMq.DeadStore;
using Microsoft.Extensions.Logging;

namespace ActorMq.Cli.Commands;

/// <summary>
/// <c>actormq dead-letters replay</c>: connects to the broker the HOCON file names (no consumers), replays the selected
/// dead letters with <see cref="ActorMqClient.ReplayDeadLettersAsync"/> and prints each outcome; exit code 1 when one failed.
/// </summary>
internal static class DeadLettersReplayCommand
{
    private static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(30);

    public static Command Create(CliConsole console)
    {
        var config = DeadStoreAccess.ConfigOption();
        var selection = new SelectionOptions("the dead letter to replay");
        var limit = CliOptions.Int("--limit", "N", "replay at most N dead letters, oldest first (1 = replay one, watch it, then the rest)", minimum: 1);
        var toOriginal = CliOptions.Flag("--to-original-exchange", "republish to the original exchange and routing key (a fanout reaches every group again)");
        var connectTimeout = CliOptions.Duration("--connect-timeout", "how long to wait for the broker (default 30s)");
        var json = CliOptions.Flag("--json", "machine output: {replayed, failed, outcomes}");
        return CliCommand.Create("replay", "Republish dead letters (state dead) to the queue they failed in, with confirms; --limit 1 replays one first.",
            console, async (parsed, ct) =>
            {
                var chosen = selection.Read(parsed, DateTimeOffset.UtcNow);
                if (!chosen.IsExplicit) throw new UsageException("say which dead letters to replay: an <id>, --all, or filter options");
                var options = new ReplayOptions
                {
                    ToOriginalExchange = parsed.GetValue(toOriginal),
                    Claimant = $"actormq-cli@{Environment.MachineName}:{Environment.ProcessId}",
                };
                var loaded = DeadStoreAccess.LoadConfig(parsed, config);
                DeadStoreAccess.RequireExistingStore(loaded);

                var outcomes = new List<ReplayOutcome>();
                await using (var session = await BrokerSession.StartAsync(loaded, b => b.WithoutConsumers(),
                                 parsed.GetValue(connectTimeout) ?? DefaultConnectTimeout, console, LogLevel.Error, ct).ConfigureAwait(false))
                {
                    var store = session.Client.DeadLetterStore;
                    await store.InitializeAsync(ct).ConfigureAwait(false);
                    // Only dead rows are claimed; with many of them on a terminal, in batches behind a progress bar.
                    var dead = chosen.Filter with { States = [DeadLetterState.Dead] };
                    var count = await DeadLetterBatches.CountAsync(store, dead, ct).ConfigureAwait(false);
                    var results = await DeadLetterBatches.RunAsync(console, store, chosen.Filter, dead, count, parsed.GetValue(limit), "replaying",
                        (filter, most) => session.Client.ReplayDeadLettersAsync(filter, options with { Limit = most }, ct), r => r.Replayed, ct)
                        .ConfigureAwait(false);
                    outcomes.AddRange(results.SelectMany(r => r.Outcomes));
                }
                var result = new ReplayResult(outcomes);

                if (parsed.GetValue(json)) await console.Out.WriteAsync(Json(result)).ConfigureAwait(false);
                else Text(console, result, chosen, options);
                await console.Out.FlushAsync(ct).ConfigureAwait(false);
                return result.Failed > 0 ? ExitCodes.Failure : ExitCodes.Ok;
            }, [config, .. selection.Symbols(), limit, toOriginal, connectTimeout, json]);
    }

    /// <summary>One row per outcome and a summary line.</summary>
    private static void Text(CliConsole console, ReplayResult result, DeadLetterSelection selection, ReplayOptions options)
    {
        var ansi = console.Ansi();
        if (result.Outcomes.Count == 0)
        {
            ansi.WriteLine($"Nothing to replay: no dead letter in state dead matches ({DeadLetterText.Cell(selection.Description, 500)}).");
            return;
        }
        var table = Tables.Create(console, ansi, "ID>", "MESSAGE ID", "QUEUE", "OUTCOME", "ERROR");
        foreach (var o in result.Outcomes)
            table.Row(o.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), o.MessageId is null ? "-" : DeadLetterText.Cell(o.MessageId, DeadLetterText.MessageIdWidth),
                DeadLetterText.Cell(o.Queue, DeadLetterText.QueueWidth), o.Replayed ? "replayed" : "FAILED", DeadLetterText.Cell(o.Error, 80));
        ansi.Write(table);
        var target = options.ToOriginalExchange ? "to their original exchanges" : "straight to the queues they failed in";
        ansi.WriteLine();
        ansi.WriteLine($"{result.Replayed} replayed {target}, {result.Failed} failed" +
                       (result.Failed > 0 ? " (those are back in state dead with their replay error; see 'dead-letters show <id>')" : "") + ".");
    }

    private static string Json(ReplayResult result) => JsonOutput.Render(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("replayed", result.Replayed);
        w.WriteNumber("failed", result.Failed);
        w.WriteStartArray("outcomes");
        foreach (var o in result.Outcomes)
        {
            w.WriteStartObject();
            w.WriteNumber("id", o.Id);
            w.StringOrNull("message_id", o.MessageId);
            w.WriteString("queue", o.Queue);
            w.WriteBoolean("replayed", o.Replayed);
            w.StringOrNull("error", o.Error);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });
}
