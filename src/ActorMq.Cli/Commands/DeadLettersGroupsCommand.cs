using Spectre.Console;
using System.CommandLine;
using ActorMq.Cli.DeadLetters;
using ActorMq.Cli.Terminal;
using ActorMq.DeadStore;

namespace ActorMq.Cli.Commands;

/// <summary>
/// <c>actormq dead-letters groups</c>: the failure groups (queue, error type, masked message, top frames of the user's code)
/// with their counts, first and last seen and a sample row, largest first; only <c>dead</c> rows unless <c>--state</c> says otherwise.
/// </summary>
internal static class DeadLettersGroupsCommand
{
    private const int DefaultLimit = 100;

    public static Command Create(CliConsole console)
    {
        var config = DeadStoreAccess.ConfigOption();
        var selection = new SelectionOptions();
        var limit = CliOptions.Int("--limit", "N", $"at most N groups, largest first (default {DefaultLimit})", minimum: 1);
        var json = CliOptions.Flag("--json", "machine output: {total, groups: [{key, queue, error_type, pattern, top_frames, count, first_seen, last_seen, sample_id}]}");
        return CliCommand.Create("groups", "Group dead letters by cause (queue, error type, message with ids masked, top frames) with counts; dead ones unless --state.",
            console, async (parsed, ct) =>
        {
            var chosen = selection.Read(parsed, DateTimeOffset.UtcNow);
            var filter = chosen.Filter.States is null ? chosen.Filter with { States = [DeadLetterState.Dead] } : chosen.Filter;
            var description = chosen.Filter.States is null ? (chosen.IsExplicit ? chosen.Description + ", state = dead" : "state = dead") : chosen.Description;
            await using var store = await DeadStoreAccess.OpenAsync(DeadStoreAccess.LoadConfig(parsed, config), ct).ConfigureAwait(false);
            var groups = await store.GroupsAsync(filter, parsed.GetValue(limit) ?? DefaultLimit, ct).ConfigureAwait(false);
            var total = groups.Sum(g => g.Count);

            if (parsed.GetValue(json))
            {
                await console.Out.WriteAsync(JsonOutput.Render(w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("total", total);
                    DeadLetterJsonOutput.WriteGroups(w, groups);
                    w.WriteEndObject();
                })).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var ansi = console.Ansi();
            ansi.WriteLine($"Failure groups in {store.Name} ({DeadLetterText.Cell(description, 500)})");
            ansi.WriteLine();
            if (groups.Count > 0)
            {
                ansi.Write(DeadLetterText.Groups(console, ansi, groups));
                ansi.WriteLine();
            }
            ansi.WriteLine(groups.Count == 0
                ? "No dead letters match."
                : $"{total} dead {(total == 1 ? "letter" : "letters")} in {groups.Count} {(groups.Count == 1 ? "group" : "groups")}. " +
                  "Replay one of a group with 'actormq dead-letters replay --group KEY --limit 1', then the rest without --limit.");
            await console.Out.FlushAsync(ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        }, [config, .. selection.Symbols(), limit, json]);
    }
}
