using ActorMq.Cli.Terminal;
using ActorMq.DeadStore;
using Spectre.Console;

namespace ActorMq.Cli.DeadLetters;

/// <summary>
/// Replay, discard and purge of many dead letters with a progress bar: when standard error is a terminal and more than
/// <see cref="BatchSize"/> rows are selected, the ids of the rows are read first (keyset pages, oldest first) and each
/// batch is worked on with the filter narrowed to its ids; rows dead-lettered after the ids were read are not touched
/// (the operator confirmed a count). Otherwise the work is one call on the whole filter, as a script would want it.
/// </summary>
internal static class DeadLetterBatches
{
    /// <summary>Ids per batch.</summary>
    public const int BatchSize = 250;

    /// <summary>Rows per page when reading ids: small, because a listing carries each row's body.</summary>
    private const int IdPageSize = 50;

    /// <summary>How many rows match <paramref name="filter"/>.</summary>
    public static async Task<long> CountAsync(IDeadLetterStore store, DeadLetterFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return (await store.ListAsync(new DeadLetterQuery { Filter = filter, Limit = 1 }, cancellationToken).ConfigureAwait(false)).Total;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the rows <paramref name="affected"/> selects (<paramref name="count"/> of them, at most
    /// <paramref name="limit"/>): once on <paramref name="filter"/> with the limit, or, with a progress bar (<paramref name="what"/>,
    /// e.g. <c>purging</c>), per batch of ids with no limit. <paramref name="rowsDone"/> counts what a call did.
    /// </summary>
    public static async Task<List<T>> RunAsync<T>(CliConsole console, IDeadLetterStore store, DeadLetterFilter filter, DeadLetterFilter affected,
        long count, int? limit, string what, Func<DeadLetterFilter, int?, Task<T>> work, Func<T, int> rowsDone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(work);
        var rows = limit is { } l ? Math.Min(l, count) : count;
        if (!console.IsErrorTerminal || rows <= BatchSize) return [await work(filter, limit).ConfigureAwait(false)];

        var ids = await IdsAsync(store, affected, limit, cancellationToken).ConfigureAwait(false);
        var results = new List<T>();
        await console.AnsiError().Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"{what} {ids.Count} dead letters", maxValue: ids.Count);
                foreach (var batch in ids.Chunk(BatchSize))
                {
                    results.Add(await work(filter with { Ids = batch }, null).ConfigureAwait(false));
                    task.Increment(batch.Length);
                    task.Description = $"{what} {ids.Count} dead letters ({results.Sum(rowsDone)} done)";
                }
            }).ConfigureAwait(false);
        return results;
    }

    /// <summary>The ids of the rows matching <paramref name="filter"/>, oldest first, at most <paramref name="limit"/>.</summary>
    private static async Task<List<long>> IdsAsync(IDeadLetterStore store, DeadLetterFilter filter, int? limit, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        long? after = null;
        while (limit is null || ids.Count < limit)
        {
            var take = limit is { } l ? Math.Min(IdPageSize, l - ids.Count) : IdPageSize;
            var page = await store.ListAsync(new DeadLetterQuery { Filter = filter, Limit = take, AfterId = after, Order = DeadLetterOrder.OldestFirst, IncludeBodies = false },
                cancellationToken).ConfigureAwait(false);
            ids.AddRange(page.Items.Select(r => r.Id));
            if (page.Items.Count < take) break;
            after = page.Items[^1].Id;
        }
        return ids;
    }
}
