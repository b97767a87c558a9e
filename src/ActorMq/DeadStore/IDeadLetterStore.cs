namespace ActorMq.DeadStore;

/// <summary>
/// Where dead letters are kept durably, listed, counted and replayed from. Implemented by
/// <c>ActorMq.DeadStore.Sqlite</c> (embedded, one process) and <c>ActorMq.DeadStore.PostgreSql</c>
/// (shared by many service instances).
/// </summary>
/// <remarks>
/// <para>
/// Call <see cref="InitializeAsync"/> once before anything else: it creates or migrates the schema
/// and may be called again safely. Every failure of the store itself (file locked or read-only,
/// server down) is a <see cref="DeadStoreException"/> naming the store and the operation; nothing of
/// the failed operation was committed. Every method is safe to call concurrently.
/// </para>
/// <para>
/// Replay state machine: <c>dead → replaying</c> (<see cref="ClaimForReplayAsync"/>, one transaction
/// that also records who claimed the row and when), then <c>replaying → replayed</c>
/// (<see cref="MarkReplayedAsync"/>, after the broker confirmed the republish) or
/// <c>replaying → dead</c> (<see cref="ReleaseClaimAsync"/>, when the publish failed). A claim is
/// exclusive: while a row is <c>replaying</c> no other claim returns it, so two replays running at
/// once never publish the same row. A claim older than the claim timeout (the claimant died
/// mid-replay) counts as abandoned and the row can be claimed again. <c>dead → discarded</c> is
/// <see cref="DiscardAsync"/>; <see cref="PurgeAsync"/> deletes rows.
/// </para>
/// <para>
/// Closed replay loop: a replayed copy carries the row's id and the store's id (<see cref="GetIdAsync"/>). When a consumer
/// of the same store handles the copy, the row becomes <c>resolved</c> (<see cref="MarkResolvedAsync"/>); when the copy is
/// dead-lettered again, the new row records <see cref="DeadLetterRecord.ReplayedFrom"/> and, in the same transaction, the
/// old row becomes <c>failed-again</c> with <see cref="DeadLetterRecord.FailedAgainId"/>. Both are recorded from the
/// copy's headers, never guessed.
/// </para>
/// </remarks>
public interface IDeadLetterStore : IAsyncDisposable
{
    /// <summary>A human-readable name of the store and where it lives (no password), as used in error messages.</summary>
    string Name { get; }

    /// <summary>
    /// Creates the schema, or migrates it to this version, and records each applied migration in a
    /// versioned migrations table. Idempotent, and safe when several processes start at once.
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// This store's id: random, created with the schema and kept in the database, so every process that opens the same
    /// database sees the same id. Replayed copies carry it, so that only this store records what became of them.
    /// </summary>
    Task<string> GetIdAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores one dead letter in state <c>dead</c>; when the task completes the row is committed. A letter dead-lettered
    /// from a copy this store replayed (its <c>replayed-from</c> and <c>replayed-from-store</c> headers) is linked to that
    /// row, which becomes <c>failed-again</c>, in the same transaction.
    /// </summary>
    /// <returns>The new row's id.</returns>
    Task<long> AddAsync(DeadLetter letter, CancellationToken cancellationToken = default);

    /// <summary>Stores several dead letters in one transaction: all of them or none.</summary>
    /// <returns>The new ids, in the order of <paramref name="letters"/>.</returns>
    Task<IReadOnlyList<long>> AddBatchAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken = default);

    /// <summary>The row with this id, or <see langword="null"/> if there is none.</summary>
    Task<DeadLetterRecord?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>One page of the rows matching the query's filter, and how many match in all.</summary>
    Task<DeadLetterPage> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken = default);

    /// <summary>How many rows match the filter, per queue and error type (ordered by queue, then error type).</summary>
    Task<IReadOnlyList<DeadLetterCount>> CountAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default);

    /// <summary>
    /// The failure groups among the rows matching the filter, largest first, with their counts, first and last seen and a
    /// sample row: one SQL <c>GROUP BY</c> over the group key the store writes with each row.
    /// </summary>
    /// <param name="filter">Which rows (e.g. only <c>dead</c> ones).</param>
    /// <param name="limit">At most this many groups; at least 1.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    Task<IReadOnlyList<DeadLetterGroup>> GroupsAsync(DeadLetterFilter filter, int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="limit"/> rows for replay, oldest first, in one transaction: rows
    /// matching <paramref name="filter"/> that are <c>dead</c>, or <c>replaying</c> under a claim older
    /// than the claim timeout, become <c>replaying</c>, claimed by <paramref name="claimant"/> now.
    /// Concurrent claims never return the same row. With <paramref name="limit"/> 1 this is
    /// "replay one, watch it, then the rest".
    /// </summary>
    /// <param name="filter">Which rows; a state criterion narrows further, it never widens the claimable states.</param>
    /// <param name="limit">At most this many rows; at least 1.</param>
    /// <param name="claimant">Who claims (e.g. host name and process id); recorded on the rows and required to mark or release them.</param>
    /// <param name="cancellationToken">Cancels the claim before it commits.</param>
    /// <returns>The claimed rows, state <c>replaying</c>; empty when nothing is left to claim.</returns>
    Task<IReadOnlyList<DeadLetterRecord>> ClaimForReplayAsync(
        DeadLetterFilter filter, int limit, string claimant, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>replaying → replayed</c> for the rows still claimed by <paramref name="claimant"/>: sets
    /// <c>replayed_at</c>, adds one to <c>replay_count</c>, clears the claim. Call it after the broker
    /// confirmed the republish.
    /// </summary>
    /// <returns>How many rows were marked (fewer than given when a claim expired and was taken over).</returns>
    Task<int> MarkReplayedAsync(IReadOnlyList<long> ids, string claimant, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>replaying → dead</c> for the rows still claimed by <paramref name="claimant"/>, when their
    /// publish failed; <paramref name="error"/> is kept as the row's replay error.
    /// </summary>
    /// <returns>How many rows were released.</returns>
    Task<int> ReleaseClaimAsync(
        IReadOnlyList<long> ids, string claimant, string? error = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>replaying | replayed → resolved</c>: the replayed copies of these rows were handled. Rows in other states are
    /// left as they are (a copy handled twice, or after its row was purged, changes nothing).
    /// </summary>
    /// <returns>How many rows became resolved.</returns>
    Task<int> MarkResolvedAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default);

    /// <summary><c>dead → discarded</c> for the rows matching the filter that are <c>dead</c>.</summary>
    /// <returns>How many rows were discarded.</returns>
    Task<int> DiscardAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the rows matching the filter, except rows under a live replay claim (they are deleted
    /// by a later purge, once replayed or released).
    /// </summary>
    /// <returns>How many rows were deleted.</returns>
    Task<int> PurgeAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default);

    /// <summary>
    /// Indexes, for <see cref="DeadLetterFilter.Search"/>, the words of up to <paramref name="maxRows"/> rows written since
    /// they were last indexed, oldest first. Writing a dead letter does not index it (that would slow the write path a
    /// failure storm keeps busy): the DeadStoreActor calls this while it has nothing to write, and a query with a search
    /// indexes every row still waiting before it runs, so a search never misses a row. A store that indexes as it writes
    /// has nothing to do here (the default).
    /// </summary>
    /// <param name="maxRows">At most this many rows; at least 1.</param>
    /// <param name="cancellationToken">Cancels the indexing before it commits.</param>
    /// <returns>How many rows were indexed: fewer than <paramref name="maxRows"/> when none is left waiting.</returns>
    Task<int> IndexForSearchAsync(int maxRows, CancellationToken cancellationToken = default) => Task.FromResult(0);
}
