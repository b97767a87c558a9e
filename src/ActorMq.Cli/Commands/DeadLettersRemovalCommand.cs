using System.CommandLine;
using ActorMq.Cli.DeadLetters;
using ActorMq.Cli.Terminal;
using ActorMq.DeadStore;

namespace ActorMq.Cli.Commands;

/// <summary>
/// <c>dead-letters purge</c> (delete rows for good, any state but one a replay is publishing) and <c>dead-letters
/// discard</c> (mark dead rows discarded: kept, never replayed): select rows by id, <c>--all</c> or filters, count
/// them, ask for confirmation on a terminal (or require <c>--yes</c> when not interactive), then act in batches.
/// </summary>
internal static class DeadLettersRemovalCommand
{
    public static Command Purge(CliConsole console) => Create(console, "purge",
        "Delete dead letters from the store for good (any state except one being replayed).", "the rows are deleted for good",
        filter => filter, (store, filter, ct) => store.PurgeAsync(filter, ct));

    public static Command Discard(CliConsole console) => Create(console, "discard",
        "Mark dead letters (state dead) discarded: kept for the record, never replayed.", "they are kept but never replayed",
        filter => filter with { States = (filter.States ?? Enum.GetValues<DeadLetterState>()).Where(s => s == DeadLetterState.Dead).ToList() },
        (store, filter, ct) => store.DiscardAsync(filter, ct));

    private static Command Create(CliConsole console, string verb, string description, string effect,
        Func<DeadLetterFilter, DeadLetterFilter> affected, Func<IDeadLetterStore, DeadLetterFilter, CancellationToken, Task<int>> apply)
    {
        var config = DeadStoreAccess.ConfigOption();
        var selection = new SelectionOptions($"the dead letter to {verb}");
        var yes = CliOptions.Flag("--yes", "do not ask for confirmation (required when not run on a terminal)");
        var past = verb.EndsWith('e') ? verb + "d" : verb + "ed";
        return CliCommand.Create(verb, description, console, async (parsed, ct) =>
        {
            var chosen = selection.Read(parsed, DateTimeOffset.UtcNow);
            if (!chosen.IsExplicit) throw new UsageException($"say which dead letters to {verb}: an <id>, --all, or filter options");
            var confirmed = parsed.GetValue(yes);
            if (!confirmed && !console.IsInteractive)
                throw new UsageException($"refusing to {verb} without confirmation: not running on a terminal; add --yes to {verb} {chosen.Description}");

            await using var store = await DeadStoreAccess.OpenAsync(DeadStoreAccess.LoadConfig(parsed, config), ct).ConfigureAwait(false);
            var count = await DeadLetterBatches.CountAsync(store, affected(chosen.Filter), ct).ConfigureAwait(false);
            if (count == 0)
            {
                await console.Out.WriteLineAsync($"Nothing to {verb}: no dead letter matches ({chosen.Description}).").ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            if (!confirmed)
            {
                await console.Error.WriteAsync($"{verb} {count} dead {Letters(count)} ({chosen.Description}) in {store.Name}: {effect}. Continue? [y/N] ")
                    .ConfigureAwait(false);
                var answer = (await console.In.ReadLineAsync(ct).ConfigureAwait(false))?.Trim();
                if (answer is not ("y" or "Y" or "yes" or "YES" or "Yes"))
                {
                    await console.Error.WriteLineAsync($"Not confirmed; nothing was {past}.").ConfigureAwait(false);
                    return ExitCodes.Failure;
                }
            }
            var gerund = verb.EndsWith('e') ? verb[..^1] + "ing" : verb + "ing";
            var changed = (await DeadLetterBatches.RunAsync(console, store, chosen.Filter, affected(chosen.Filter), count, limit: null, gerund,
                (filter, _) => apply(store, filter, ct), n => n, ct).ConfigureAwait(false)).Sum();
            await console.Out.WriteLineAsync($"{char.ToUpperInvariant(past[0])}{past[1..]} {changed} dead {Letters(changed)} ({chosen.Description}).")
                .ConfigureAwait(false);
            return ExitCodes.Ok;
        }, [config, .. selection.Symbols(), yes]);
    }

    private static string Letters(long count) => count == 1 ? "letter" : "letters";
}
