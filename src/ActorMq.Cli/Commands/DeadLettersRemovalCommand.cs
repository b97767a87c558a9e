using ActorMq.Cli.CommandLine;
using ActorMq.Cli.DeadLetters;
using ActorMq.DeadStore;

namespace ActorMq.Cli.Commands;

/// <summary>
/// What <c>dead-letters purge</c> and <c>dead-letters discard</c> share: select rows by id, <c>--all</c> or filters,
/// count them, ask for confirmation on a terminal (or require <c>--yes</c> when not interactive), then act.
/// </summary>
internal abstract class DeadLettersRemovalCommand : Command
{
    /// <summary>The verb, e.g. <c>purge</c>.</summary>
    protected abstract string Verb { get; }

    /// <summary>What happens to the rows, for the prompt, e.g. <c>delete</c>.</summary>
    protected abstract string Effect { get; }

    /// <summary>The syntax of a removal command named <c>dead-letters <paramref name="verb"/></c>.</summary>
    protected static CommandSyntax RemovalSyntax(string verb, string summary) => new(
        $"dead-letters {verb}",
        summary,
        $"dead-letters {verb} (<id> | --all | filters...) [--config FILE] [--yes]",
        [
            DeadStoreAccess.ConfigOption,
            DeadLetterSelection.AllOption,
            .. DeadLetterSelection.FilterOptions,
            OptionSpec.Flag("--yes", "do not ask for confirmation (required when not run on a terminal)"),
        ],
        [new ArgumentSpec("id", $"the dead letter to {verb}", Required: false)]);

    /// <summary>The rows the command would act on (for the count in the prompt).</summary>
    protected abstract DeadLetterFilter Affected(DeadLetterFilter filter);

    /// <summary>Acts on the rows; returns how many changed.</summary>
    protected abstract Task<int> ApplyAsync(IDeadLetterStore store, DeadLetterFilter filter, CancellationToken cancellationToken);

    /// <inheritdoc />
    protected sealed override async Task<int> ExecuteAsync(ParsedArguments arguments, CliConsole console, CancellationToken cancellationToken)
    {
        var selection = DeadLetterSelection.From(arguments, DateTimeOffset.UtcNow);
        if (!selection.IsExplicit) throw new UsageException($"say which dead letters to {Verb}: an <id>, --all, or filter options");
        var confirmed = arguments.Has("--yes");
        if (!confirmed && !console.IsInteractive)
            throw new UsageException($"refusing to {Verb} without confirmation: not running on a terminal; add --yes to {Verb} {selection.Description}");

        var config = DeadStoreAccess.LoadConfig(arguments);
        await using var store = await DeadStoreAccess.OpenAsync(config, cancellationToken).ConfigureAwait(false);
        var affected = (await store.ListAsync(new DeadLetterQuery { Filter = Affected(selection.Filter), Limit = 1 }, cancellationToken).ConfigureAwait(false)).Total;
        if (affected == 0)
        {
            await console.Out.WriteLineAsync($"Nothing to {Verb}: no dead letter matches ({selection.Description}).").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        if (!confirmed)
        {
            await console.Error.WriteAsync($"{Verb} {affected} dead {(affected == 1 ? "letter" : "letters")} ({selection.Description}) in {store.Name}: {Effect}. Continue? [y/N] ")
                .ConfigureAwait(false);
            var answer = (await console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Trim();
            if (answer is not ("y" or "Y" or "yes" or "YES" or "Yes"))
            {
                await console.Error.WriteLineAsync($"Not confirmed; nothing was {Past}.").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        }
        var changed = await ApplyAsync(store, selection.Filter, cancellationToken).ConfigureAwait(false);
        await console.Out.WriteLineAsync($"{char.ToUpperInvariant(Past[0])}{Past[1..]} {changed} dead {(changed == 1 ? "letter" : "letters")} ({selection.Description}).")
            .ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private string Past => Verb.EndsWith('e') ? Verb + "d" : Verb + "ed";
}
