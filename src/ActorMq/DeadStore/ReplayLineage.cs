using System.Globalization;
using System.Text;

namespace ActorMq.DeadStore;

/// <summary>
/// Reads which stored row a replayed copy came from: the <see cref="DeadLetterReplayer.ReplayedFromHeader"/> (the row id)
/// and <see cref="DeadLetterReplayer.ReplayedFromStoreHeader"/> (the store's id) headers the replayer writes. A copy with
/// either header missing or malformed has no lineage (copies replayed before the store had an id, or edited by hand).
/// </summary>
internal static class ReplayLineage
{
    /// <summary>The (store id, row id) of a delivery's headers, or <see langword="null"/>.</summary>
    public static (string Store, long Id)? Of(IDictionary<string, object?>? headers) =>
        headers is not null && headers.TryGetValue(DeadLetterReplayer.ReplayedFromHeader, out var id)
            && headers.TryGetValue(DeadLetterReplayer.ReplayedFromStoreHeader, out var store)
            ? Parse(id, store)
            : null;

    /// <summary>The (store id, row id) of a dead letter's headers, or <see langword="null"/>.</summary>
    public static (string Store, long Id)? Of(IReadOnlyDictionary<string, object?>? headers) =>
        headers is not null && headers.TryGetValue(DeadLetterReplayer.ReplayedFromHeader, out var id)
            && headers.TryGetValue(DeadLetterReplayer.ReplayedFromStoreHeader, out var store)
            ? Parse(id, store)
            : null;

    private static (string Store, long Id)? Parse(object? id, object? store) =>
        Text(store) is { Length: > 0 } storeId && long.TryParse(Text(id), NumberStyles.None, CultureInfo.InvariantCulture, out var row) && row > 0
            ? (storeId, row)
            : null;

    /// <summary>The row a letter's copy came from, when that copy was replayed by the store with id <paramref name="storeId"/>.</summary>
    public static long? From(DeadLetter letter, string storeId) =>
        Of(letter.Headers) is { } lineage && string.Equals(lineage.Store, storeId, StringComparison.Ordinal) ? lineage.Id : null;

    // Header strings arrive from the broker as bytes; a row read back from the store holds them as written.
    private static string? Text(object? value) => value switch
    {
        string s => s,
        byte[] b => Encoding.UTF8.GetString(b),
        _ => null,
    };
}

/// <summary>
/// Consumer → ActorMqActor → DeadStoreActor: a replayed copy from row <paramref name="Id"/> of the store
/// <paramref name="Store"/> was handled. The DeadStoreActor records it in batches when the store is its own.
/// </summary>
internal sealed record ReplayedCopyHandled(string Store, long Id);
