using ActorMq.Cli.CommandLine;
using ActorMq.Cli.DeadLetters;
using ActorMq.Cli.Output;
using ActorMq.DeadStore;

namespace ActorMq.Cli.Commands;

/// <summary><c>actormq dead-letters list</c>: one page of dead letters as a table (or JSON), the total, and the counts per queue and error type.</summary>
internal sealed class DeadLettersListCommand : Command
{
    /// <inheritdoc />
    public override CommandSyntax Syntax { get; } = new(
        "dead-letters list",
        "List dead letters (oldest first) with the counts per queue and error type.",
        "dead-letters list [--config FILE] [filters...] [--page N] [--page-size N] [--json]",
        [
            DeadStoreAccess.ConfigOption,
            .. DeadLetterSelection.FilterOptions,
            OptionSpec.Value("--page", "N", "which page, from 1 (default 1)"),
            OptionSpec.Value("--page-size", "N", "dead letters per page (default 50)"),
            OptionSpec.Flag("--json", "machine output: {total, page, page_size, items, counts}"),
        ],
        []);

    private const int DefaultPageSize = 50;

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParsedArguments arguments, CliConsole console, CancellationToken cancellationToken)
    {
        var selection = DeadLetterSelection.From(arguments, DateTimeOffset.UtcNow);
        var page = arguments.Int("--page", 1) ?? 1;
        var pageSize = arguments.Int("--page-size", 1) ?? DefaultPageSize;
        var config = DeadStoreAccess.LoadConfig(arguments);
        await using var store = await DeadStoreAccess.OpenAsync(config, cancellationToken).ConfigureAwait(false);

        var listing = await store.ListAsync(new DeadLetterQuery
        {
            Filter = selection.Filter,
            Offset = (int)Math.Min(int.MaxValue, (long)(page - 1) * pageSize),
            Limit = pageSize,
        }, cancellationToken).ConfigureAwait(false);
        var counts = await store.CountAsync(selection.Filter, cancellationToken).ConfigureAwait(false);

        if (arguments.Has("--json"))
        {
            await console.Out.WriteAsync(JsonOutput.Render(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("total", listing.Total);
                w.WriteNumber("page", page);
                w.WriteNumber("page_size", pageSize);
                w.WriteStartArray("items");
                foreach (var row in listing.Items)
                {
                    w.WriteStartObject();
                    DeadLetterJsonOutput.WriteSummary(w, row);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                DeadLetterJsonOutput.WriteCounts(w, counts);
                w.WriteEndObject();
            })).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        await console.Out.WriteLineAsync($"Dead letters in {store.Name}" + (selection.IsExplicit ? $" ({selection.Description})" : "")).ConfigureAwait(false);
        await console.Out.WriteLineAsync().ConfigureAwait(false);
        if (listing.Items.Count > 0)
        {
            await console.Out.WriteAsync(DeadLetterText.Table(listing.Items)).ConfigureAwait(false);
            await console.Out.WriteLineAsync().ConfigureAwait(false);
        }
        await console.Out.WriteLineAsync(DeadLetterText.PageLine(listing.Total, page, pageSize, listing.Items.Count)).ConfigureAwait(false);
        if (counts.Count > 0)
        {
            await console.Out.WriteLineAsync().ConfigureAwait(false);
            await console.Out.WriteLineAsync("Counts per queue and error type:").ConfigureAwait(false);
            await console.Out.WriteAsync(DeadLetterText.Counts(counts)).ConfigureAwait(false);
        }
        return ExitCodes.Ok;
    }
}
