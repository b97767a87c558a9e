using Spectre.Console;
using System.CommandLine;
using ActorMq.Cli.DeadLetters;
using ActorMq.Cli.Terminal;
using ActorMq.DeadStore;

namespace ActorMq.Cli.Commands;

/// <summary><c>actormq dead-letters list</c>: one page of dead letters as a table (or JSON), the total, and the counts per queue and error type.</summary>
internal static class DeadLettersListCommand
{
    private const int DefaultPageSize = 50;

    public static Command Create(CliConsole console)
    {
        var config = DeadStoreAccess.ConfigOption();
        var selection = new SelectionOptions();
        var page = CliOptions.Int("--page", "N", "which page, from 1 (default 1)", minimum: 1);
        var pageSize = CliOptions.Int("--page-size", "N", $"dead letters per page (default {DefaultPageSize})", minimum: 1);
        var json = CliOptions.Flag("--json", "machine output: {total, page, page_size, items, counts}");
        return CliCommand.Create("list", "List dead letters (oldest first) with the counts per queue and error type.", console, async (parsed, ct) =>
        {
            var chosen = selection.Read(parsed, DateTimeOffset.UtcNow);
            var pageNumber = parsed.GetValue(page) ?? 1;
            var size = parsed.GetValue(pageSize) ?? DefaultPageSize;
            await using var store = await DeadStoreAccess.OpenAsync(DeadStoreAccess.LoadConfig(parsed, config), ct).ConfigureAwait(false);
            var listing = await store.ListAsync(new DeadLetterQuery
            {
                Filter = chosen.Filter,
                Offset = (int)Math.Min(int.MaxValue, (long)(pageNumber - 1) * size),
                Limit = size,
            }, ct).ConfigureAwait(false);
            var counts = await store.CountAsync(chosen.Filter, ct).ConfigureAwait(false);

            if (parsed.GetValue(json))
            {
                await console.Out.WriteAsync(JsonOutput.Render(w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("total", listing.Total);
                    w.WriteNumber("page", pageNumber);
                    w.WriteNumber("page_size", size);
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

            var ansi = console.Ansi();
            ansi.WriteLine($"Dead letters in {store.Name}" + (chosen.IsExplicit ? $" ({DeadLetterText.Cell(chosen.Description, 500)})" : ""));
            ansi.WriteLine();
            if (listing.Items.Count > 0)
            {
                ansi.Write(DeadLetterText.Table(console, ansi, listing.Items));
                ansi.WriteLine();
            }
            ansi.WriteLine(DeadLetterText.PageLine(listing.Total, pageNumber, size, listing.Items.Count));
            if (counts.Count > 0)
            {
                ansi.WriteLine();
                ansi.WriteLine("Counts per queue and error type:");
                ansi.Write(DeadLetterText.Counts(console, ansi, counts));
            }
            await console.Out.FlushAsync(ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        }, [config, .. selection.Symbols(), page, pageSize, json]);
    }
}
