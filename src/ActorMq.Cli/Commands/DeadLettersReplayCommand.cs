using ActorMq.Cli.Broker;
using ActorMq.Cli.CommandLine;
using ActorMq.Cli.DeadLetters;
using ActorMq.Cli.Output;
using ActorMq.DeadStore;
using Microsoft.Extensions.Logging;

namespace ActorMq.Cli.Commands;

/// <summary>
/// <c>actormq dead-letters replay</c>: connects to the broker the HOCON file names (no consumers), replays the selected
/// dead letters with <see cref="ActorMqClient.ReplayDeadLettersAsync"/> and prints each outcome; exit code 1 when one failed.
/// </summary>
internal sealed class DeadLettersReplayCommand : Command
{
    /// <inheritdoc />
    public override CommandSyntax Syntax { get; } = new(
        "dead-letters replay",
        "Republish dead letters (state dead) to the queue they failed in, with confirms; --limit 1 replays one first.",
        "dead-letters replay (<id> | --all | filters...) [--config FILE] [--limit N] [--to-original-exchange] [--connect-timeout DURATION] [--json]",
        [
            DeadStoreAccess.ConfigOption,
            DeadLetterSelection.AllOption,
            .. DeadLetterSelection.FilterOptions,
            OptionSpec.Value("--limit", "N", "replay at most N dead letters, oldest first (1 = replay one, watch it, then the rest)"),
            OptionSpec.Flag("--to-original-exchange", "republish to the original exchange and routing key (a fanout reaches every group again)"),
            OptionSpec.Value("--connect-timeout", "DURATION", "how long to wait for the broker (default 30s)"),
            OptionSpec.Flag("--json", "machine output: {replayed, failed, outcomes}"),
        ],
        [new ArgumentSpec("id", "the dead letter to replay", Required: false)]);

    private static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParsedArguments arguments, CliConsole console, CancellationToken cancellationToken)
    {
        var selection = DeadLetterSelection.From(arguments, DateTimeOffset.UtcNow);
        if (!selection.IsExplicit) throw new UsageException("say which dead letters to replay: an <id>, --all, or filter options");
        var options = new ReplayOptions
        {
            Limit = arguments.Int("--limit", 1),
            ToOriginalExchange = arguments.Has("--to-original-exchange"),
            Claimant = $"actormq-cli@{Environment.MachineName}:{Environment.ProcessId}",
        };
        var config = DeadStoreAccess.LoadConfig(arguments);
        DeadStoreAccess.RequireExistingStore(config);

        ReplayResult result;
        await using (var session = await BrokerSession.StartAsync(config, b => b.WithoutConsumers(),
                         arguments.Duration("--connect-timeout") ?? DefaultConnectTimeout, console.Error, LogLevel.Error, cancellationToken).ConfigureAwait(false))
        {
            await session.Client.DeadLetterStore.InitializeAsync(cancellationToken).ConfigureAwait(false);
            result = await session.Client.ReplayDeadLettersAsync(selection.Filter, options, cancellationToken).ConfigureAwait(false);
        }

        if (arguments.Has("--json")) await console.Out.WriteAsync(Json(result)).ConfigureAwait(false);
        else await console.Out.WriteAsync(Text(result, selection, options)).ConfigureAwait(false);
        return result.Failed > 0 ? ExitCodes.Failure : ExitCodes.Ok;
    }

    /// <summary>One line per outcome and a summary line.</summary>
    public static string Text(ReplayResult result, DeadLetterSelection selection, ReplayOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(options);
        if (result.Outcomes.Count == 0) return $"Nothing to replay: no dead letter in state dead matches ({selection.Description}).\n";
        var table = new TextTable(new TextColumn("ID", Align.Right), new TextColumn("MESSAGE ID", MaxWidth: 40), new TextColumn("QUEUE"),
            new TextColumn("OUTCOME"), new TextColumn("ERROR", MaxWidth: 80));
        foreach (var o in result.Outcomes)
            table.Add(o.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), o.MessageId ?? "-", o.Queue, o.Replayed ? "replayed" : "FAILED", o.Error ?? "");
        var target = options.ToOriginalExchange ? "to their original exchanges" : "straight to the queues they failed in";
        return table + $"\n{result.Replayed} replayed {target}, {result.Failed} failed" +
               (result.Failed > 0 ? " (those are back in state dead with their replay error; see 'dead-letters show <id>')" : "") + ".\n";
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
