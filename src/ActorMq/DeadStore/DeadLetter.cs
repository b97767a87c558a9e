namespace ActorMq.DeadStore;

/// <summary>
/// A message that exhausted its retries (or failed permanently), as handed to
/// <see cref="IDeadLetterStore.AddAsync"/>. Everything needed to republish it exactly is kept:
/// the AMQP properties, the headers with their AMQP types, and the body byte for byte.
/// </summary>
public sealed record DeadLetter
{
    /// <summary>The AMQP message id, if the message had one.</summary>
    public string? MessageId { get; init; }

    /// <summary>The queue the message failed in; replay publishes back to it by default.</summary>
    public required string Queue { get; init; }

    /// <summary>The exchange the message was originally published to (empty for the default exchange).</summary>
    public string Exchange { get; init; } = "";

    /// <summary>The routing key the message was originally published with.</summary>
    public string RoutingKey { get; init; } = "";

    /// <summary>The AMQP basic properties, without the headers (see <see cref="Headers"/>).</summary>
    public DeadLetterProperties Properties { get; init; } = DeadLetterProperties.None;

    /// <summary>
    /// The AMQP headers with their wire types: <see cref="string"/>, <c>byte[]</c>, <see cref="bool"/>,
    /// integers of every width, <see cref="float"/>, <see cref="double"/>, <see cref="decimal"/>,
    /// <c>RabbitMQ.Client.AmqpTimestamp</c>, <c>RabbitMQ.Client.BinaryTableValue</c>, nested
    /// tables (<c>IDictionary&lt;string, object?&gt;</c>), lists and <see langword="null"/>.
    /// Stored with <see cref="DeadLetterJson"/> so each value comes back with the type it went in with.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Headers { get; init; } = DeadLetterJson.NoHeaders;

    /// <summary>The message body, stored byte-exact.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The failure's type, usually the exception's full type name.</summary>
    public required string ErrorType { get; init; }

    /// <summary>The failure's message.</summary>
    public required string ErrorMessage { get; init; }

    /// <summary>More about the failure, usually the stack trace.</summary>
    public string? ErrorDetail { get; init; }

    /// <summary>How many times the message was handled before it was dead-lettered.</summary>
    public int Attempts { get; init; }

    /// <summary>When the first handling attempt failed (stored to the microsecond, in UTC).</summary>
    public DateTimeOffset FirstFailedAt { get; init; }

    /// <summary>When the message was dead-lettered (stored to the microsecond, in UTC); filters and listings use it.</summary>
    public DateTimeOffset DeadAt { get; init; }
}

/// <summary>Where a stored dead letter is in its life: see the replay state machine on <see cref="IDeadLetterStore"/>.</summary>
public enum DeadLetterState
{
    /// <summary>Stored and waiting for an operator: replay, discard or purge.</summary>
    Dead,

    /// <summary>Claimed by a replay that is publishing it (see <see cref="IDeadLetterStore.ClaimForReplayAsync"/>).</summary>
    Replaying,

    /// <summary>Republished and confirmed by the broker; its copy is not yet handled (or not reported).</summary>
    Replayed,

    /// <summary>Set aside by an operator; kept for the record, never replayed.</summary>
    Discarded,

    /// <summary>
    /// Replayed, and the copy was handled: a consumer of this store reported the copy's success (see
    /// <see cref="IDeadLetterStore.MarkResolvedAsync"/>). Final.
    /// </summary>
    Resolved,

    /// <summary>
    /// Replayed, and the copy was dead-lettered again: <see cref="DeadLetterRecord.FailedAgainId"/> is the new row, whose
    /// <see cref="DeadLetterRecord.ReplayedFrom"/> is this one. Final for this row; the new row is replayed in its stead.
    /// </summary>
    FailedAgain,
}

/// <summary>A dead letter as stored, with its id and its replay bookkeeping.</summary>
/// <param name="Id">The store's id for the row.</param>
/// <param name="Letter">The message and its failure, exactly as added.</param>
/// <param name="State">Where the row is in the replay state machine.</param>
/// <param name="ReplayedAt">When the row was last marked replayed.</param>
/// <param name="ReplayCount">How many times the row was replayed.</param>
/// <param name="ClaimedAt">When the current (or last) replay claimed the row.</param>
/// <param name="ClaimedBy">Who claimed it (the claimant given to <see cref="IDeadLetterStore.ClaimForReplayAsync"/>).</param>
/// <param name="ReplayError">Why the last replay attempt failed to publish, if it did.</param>
public sealed record DeadLetterRecord(
    long Id,
    DeadLetter Letter,
    DeadLetterState State,
    DateTimeOffset? ReplayedAt,
    int ReplayCount,
    DateTimeOffset? ClaimedAt,
    string? ClaimedBy,
    string? ReplayError)
{
    /// <summary>
    /// The row's failure group (see <see cref="DeadLetterFilter.Group"/>): 16 hex digits, the same for every row of the same
    /// queue, error type, masked error message and top frames of the user's code; <see langword="null"/> until computed.
    /// </summary>
    public string? GroupKey { get; init; }

    /// <summary>
    /// For a row dead-lettered from a replayed copy: the row that copy was replayed from (its <c>replayed-from</c> header, when
    /// its <c>replayed-from-store</c> header names this store); otherwise <see langword="null"/>.
    /// </summary>
    public long? ReplayedFrom { get; init; }

    /// <summary>For a row in state <see cref="DeadLetterState.FailedAgain"/>: the row its replayed copy became.</summary>
    public long? FailedAgainId { get; init; }

    /// <summary>For a row in state <see cref="DeadLetterState.Resolved"/>: when its replayed copy's success was recorded.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }
}

/// <summary>
/// The AMQP basic properties of a dead letter, apart from the headers. <see langword="null"/> means "not set".
/// </summary>
public sealed partial record DeadLetterProperties
{
    /// <summary>No property set.</summary>
    public static DeadLetterProperties None { get; } = new();

    /// <summary>MIME content type, e.g. <c>application/json</c>.</summary>
    public string? ContentType { get; init; }

    /// <summary>MIME content encoding, e.g. <c>gzip</c>.</summary>
    public string? ContentEncoding { get; init; }

    /// <summary>1 = transient, 2 = persistent.</summary>
    public byte? DeliveryMode { get; init; }

    /// <summary>Message priority, 0 to 9.</summary>
    public byte? Priority { get; init; }

    /// <summary>Correlation id.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>Reply-to address.</summary>
    public string? ReplyTo { get; init; }

    /// <summary>Per-message TTL in milliseconds, as the AMQP string.</summary>
    public string? Expiration { get; init; }

    /// <summary>The message id property (also kept in <see cref="DeadLetter.MessageId"/> for filtering).</summary>
    public string? MessageId { get; init; }

    /// <summary>The AMQP timestamp, in seconds since the Unix epoch.</summary>
    public long? Timestamp { get; init; }

    /// <summary>Message type name.</summary>
    public string? Type { get; init; }

    /// <summary>The publishing user id.</summary>
    public string? UserId { get; init; }

    /// <summary>The publishing application id.</summary>
    public string? AppId { get; init; }

    /// <summary>The (deprecated) cluster id.</summary>
    public string? ClusterId { get; init; }
}
