namespace ActorMq.DeadStore;

/// <summary>
/// Selects dead letters. Every criterion that is set must hold (they are AND-ed); a criterion left
/// <see langword="null"/> selects everything, so <see cref="All"/> (no criterion) selects every row.
/// </summary>
public sealed record DeadLetterFilter
{
    /// <summary>The filter with no criterion: every row.</summary>
    public static DeadLetterFilter All { get; } = new();

    /// <summary>Only these ids. An empty list selects nothing.</summary>
    public IReadOnlyList<long>? Ids { get; init; }

    /// <summary>Only rows dead-lettered from this queue (exact match).</summary>
    public string? Queue { get; init; }

    /// <summary>Only rows with this error type (exact match).</summary>
    public string? ErrorType { get; init; }

    /// <summary>Only rows with this AMQP message id (exact match).</summary>
    public string? MessageId { get; init; }

    /// <summary>
    /// Only rows of this failure group (<see cref="DeadLetterRecord.GroupKey"/>, <see cref="DeadLetterGroup.Key"/>): 16 hex
    /// digits; the store refuses anything else with an <see cref="ArgumentException"/>.
    /// </summary>
    public string? Group { get; init; }

    /// <summary>Only rows whose error message contains this text (case-sensitive).</summary>
    public string? ErrorMessageContains { get; init; }

    /// <summary>
    /// Only rows found by these words: the words of the row's message id, correlation id and type, error type and message,
    /// header names and values, and body (when it is UTF-8 text; its first 64 KiB) hold the search's words one after
    /// another, the last perhaps as the start of a word. A word is a run of letters and digits, compared case-insensitively:
    /// <c>order 42 tim</c> finds "Order #42 timed out" and a body <c>{"order":42,"time":1}</c>. The store answers from a
    /// full-text index (SQLite FTS5, PostgreSQL text search). Text with no letter or digit, or with more than 32 words, is
    /// refused with an <see cref="ArgumentException"/>.
    /// </summary>
    public string? Search { get; init; }

    /// <summary>Only rows dead-lettered at or after this instant.</summary>
    public DateTimeOffset? DeadFrom { get; init; }

    /// <summary>Only rows dead-lettered strictly before this instant.</summary>
    public DateTimeOffset? DeadBefore { get; init; }

    /// <summary>Only rows in one of these states. An empty list selects nothing.</summary>
    public IReadOnlyList<DeadLetterState>? States { get; init; }

    /// <summary>The filter selecting exactly one row.</summary>
    public static DeadLetterFilter ById(long id) => new() { Ids = [id] };

    /// <summary>The filter selecting the rows with these ids.</summary>
    public static DeadLetterFilter ByIds(IReadOnlyList<long> ids) => new() { Ids = ids };
}

/// <summary>The order in which <see cref="IDeadLetterStore.ListAsync"/> returns rows.</summary>
public enum DeadLetterOrder
{
    /// <summary>Ascending id: the oldest row first.</summary>
    OldestFirst,

    /// <summary>Descending id: the newest row first.</summary>
    NewestFirst,
}

/// <summary>The column <see cref="IDeadLetterStore.ListAsync"/> sorts by (then by id, in the same direction).</summary>
public enum DeadLetterSort
{
    /// <summary>The row id: the order rows were written.</summary>
    Id,

    /// <summary>When the message was dead-lettered.</summary>
    DeadAt,

    /// <summary>The queue name (ordinal).</summary>
    Queue,

    /// <summary>The error type (ordinal).</summary>
    ErrorType,

    /// <summary>How many times the message was handled.</summary>
    Attempts,
}

/// <summary>
/// One page of a listing. Page with <see cref="Offset"/> (simple, for "page 3 of 10"), or with
/// <see cref="AfterId"/> (keyset: pass the last id of the previous page; stable while rows are
/// being added and fast at any depth).
/// </summary>
public sealed record DeadLetterQuery
{
    /// <summary>Which rows.</summary>
    public DeadLetterFilter Filter { get; init; } = DeadLetterFilter.All;

    /// <summary>The order of the rows: ascending (<see cref="DeadLetterOrder.OldestFirst"/>) or descending <see cref="SortBy"/>.</summary>
    public DeadLetterOrder Order { get; init; } = DeadLetterOrder.OldestFirst;

    /// <summary>The column to sort by (ties by id in the same direction); keyset paging (<see cref="AfterId"/>) needs <see cref="DeadLetterSort.Id"/>.</summary>
    public DeadLetterSort SortBy { get; init; } = DeadLetterSort.Id;

    /// <summary>How many rows to skip (after <see cref="AfterId"/> is applied). Must be zero or more.</summary>
    public int Offset { get; init; }

    /// <summary>At most this many rows. Must be at least 1.</summary>
    public required int Limit { get; init; }

    /// <summary>Keyset paging: only rows after this id in <see cref="Order"/>.</summary>
    public long? AfterId { get; init; }

    /// <summary>
    /// Whether the rows carry their bodies (default true). False for listings that show no body (the admin page's list):
    /// the store then never reads a body column, and each row's <see cref="DeadLetter.Body"/> is empty — a page of
    /// 50 MB bodies costs what a page of empty ones costs.
    /// </summary>
    public bool IncludeBodies { get; init; } = true;
}

/// <summary>A page of dead letters.</summary>
/// <param name="Items">The rows of this page, in the query's order.</param>
/// <param name="Total">How many rows match the filter in all (ignoring paging).</param>
public sealed record DeadLetterPage(IReadOnlyList<DeadLetterRecord> Items, long Total);

/// <summary>How many dead letters one queue holds for one error type.</summary>
/// <param name="Queue">The queue the messages failed in.</param>
/// <param name="ErrorType">The error type.</param>
/// <param name="Count">How many rows.</param>
public sealed record DeadLetterCount(string Queue, string ErrorType, long Count);

/// <summary>
/// One failure group: the dead letters of one queue with the same error type, the same error message once its ids, GUIDs,
/// hex and numbers are masked, and the same top frames of the user's code. Computed by the store
/// (<see cref="IDeadLetterStore.GroupsAsync"/>); select its rows with <see cref="DeadLetterFilter.Group"/>.
/// </summary>
/// <param name="Key">The group key (16 hex digits), as stored with each row.</param>
/// <param name="Queue">The queue the messages failed in.</param>
/// <param name="ErrorType">The error type.</param>
/// <param name="Pattern">The error message with its variable parts masked (<c>order &lt;id&gt; timed out after &lt;n&gt; ms</c>).</param>
/// <param name="TopFrames">The top frames of the user's code in the sample's error detail (may be empty).</param>
/// <param name="Count">How many rows of the group match the filter.</param>
/// <param name="FirstSeen">When the oldest of them died (its <c>dead_at</c>).</param>
/// <param name="LastSeen">When the newest of them died.</param>
/// <param name="SampleId">The id of the group's oldest matching row.</param>
public sealed record DeadLetterGroup(
    string Key, string Queue, string ErrorType, string Pattern, IReadOnlyList<string> TopFrames, long Count, DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen, long SampleId);
