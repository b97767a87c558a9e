using ActorMq.Cli.Terminal;
using ActorMq.DeadStore;
using Spectre.Console;

namespace ActorMq.Cli.DeadLetters;

/// <summary>
/// Work on many dead letters in batches of ids, oldest first, so replay, discard and purge can show their progress:
/// the ids matching a filter are read first (keyset pages), then each batch is acted on with that filter narrowed to
/// its ids. Rows dead-lettered after the ids were read are not touched (the operator confirmed a count).
/// </summary>
internal static class DeadLetterBatches
{
    /// <summary>Ids per batch (and per page when reading ids).</summary>
    public const int BatchSize = 250;

    /// <summary>The ids of the rows matching <paramref name="filter"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public static async Task<IReadOnlyList<long>> IdsAsync(IDeadLetterStore store, DeadLetterFilter filter, int? limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(filter);
        var ids = new List<long>();
        long? after = null;
        while (limit is null || ids.Count < limit)
        {
            var take = limit is { } l ? Math.Min(BatchSize * 4, l - ids.Count) : BatchSize * 4;
            var page = await store.ListAsync(new DeadLetterQuery { Filter = filter, Limit = take, AfterId = after, Order = DeadLetterOrder.OldestFirst },
                cancellationToken).ConfigureAwait(false);
            if (page.Items.Count == 0) break;
            ids.AddRange(page.Items.Select(r => r.Id));
            after = page.Items[^1].Id;
            if (page.Items.Count < take) break;
        }
        return ids;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on each batch of <paramref name="ids"/>; with more than one batch and standard error
    /// on a terminal, a progress bar there (<paramref name="what"/>, e.g. <c>purging</c>) counts the rows done.
    /// </summary>
    public static async Task<List<T>> RunAsync<T>(CliConsole console, string what, IReadOnlyList<long> ids,
        Func<IReadOnlyList<long>, Task<T>> work, Func<T, int> rowsDone)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(ids);
        var batches = ids.Chunk(BatchSize).ToList();
        var results = new List<T>(batches.Count);
        if (batches.Count <= 1 || !console.IsErrorTerminal)
        {
            foreach (var batch in batches) results.Add(await work(batch).ConfigureAwait(false));
            return results;
        }
        await console.AnsiError().Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"{what} {ids.Count} dead letters", maxValue: ids.Count);
                foreach (var batch in batches)
                {
                    var result = await work(batch).ConfigureAwait(false);
                    results.Add(result);
                    task.Increment(batch.Length);
                    task.Description = $"{what} {ids.Count} dead letters ({results.Sum(rowsDone)} done)";
                }
            }).ConfigureAwait(false);
        return results;
    }
}
