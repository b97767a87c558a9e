namespace ActorMq.DeadStore.Sql;

/// <summary>Reads the columns of one result row, by position. Implemented over each provider's reader.</summary>
internal interface IRowReader
{
    bool IsNull(int ordinal);

    long GetInt64(int ordinal);

    string GetString(int ordinal);

    byte[] GetBytes(int ordinal);

    DateTimeOffset GetTimestamp(int ordinal);
}

/// <summary>Turns a <see cref="DeadLetter"/> into column values and a result row back into a <see cref="DeadLetterRecord"/>.</summary>
internal static class DeadLetterRows
{
    /// <summary>The positions of the JSON columns among <see cref="InsertValues"/>.</summary>
    public const int PropertiesIndex = 4, HeadersIndex = 5;

    /// <summary>The values of the insert columns of <see cref="DeadLetterSql"/>, up to <c>replayed_from</c>.</summary>
    public static object?[] InsertValues(DeadLetter letter, long? replayedFrom)
    {
        ArgumentNullException.ThrowIfNull(letter);
        ArgumentNullException.ThrowIfNull(letter.Queue, nameof(letter.Queue));
        ArgumentNullException.ThrowIfNull(letter.ErrorType, nameof(letter.ErrorType));
        ArgumentNullException.ThrowIfNull(letter.ErrorMessage, nameof(letter.ErrorMessage));
        var (groupKey, pattern) = DeadLetterFingerprint.Of(letter);
        return
        [
            letter.MessageId,
            letter.Queue,
            letter.Exchange ?? "",
            letter.RoutingKey ?? "",
            DeadLetterJson.SerializeProperties(letter.Properties ?? DeadLetterProperties.None),
            DeadLetterJson.SerializeHeaders(letter.Headers ?? DeadLetterJson.NoHeaders),
            letter.Body.ToArray(),
            letter.ErrorType,
            letter.ErrorMessage,
            letter.ErrorDetail,
            (long)letter.Attempts,
            DeadLetterSql.Truncate(letter.FirstFailedAt),
            DeadLetterSql.Truncate(letter.DeadAt),
            DeadLetterFingerprint.ToStored(groupKey),
            pattern,
            replayedFrom,
        ];
    }

    /// <summary>Reads a row selected with <see cref="DeadLetterSql.Columns"/>.</summary>
    /// <exception cref="FormatException">A stored value is not in the expected form; the message names the row.</exception>
    public static DeadLetterRecord Read(IRowReader row)
    {
        var id = row.GetInt64(0);
        try
        {
            var letter = new DeadLetter
            {
                MessageId = StringOrNull(row, 1),
                Queue = row.GetString(2),
                Exchange = row.GetString(3),
                RoutingKey = row.GetString(4),
                Properties = DeadLetterJson.DeserializeProperties(row.GetString(5)),
                Headers = DeadLetterJson.DeserializeHeaders(row.GetString(6)),
                Body = row.IsNull(7) ? ReadOnlyMemory<byte>.Empty : row.GetBytes(7),
                ErrorType = row.GetString(8),
                ErrorMessage = row.GetString(9),
                ErrorDetail = StringOrNull(row, 10),
                Attempts = checked((int)row.GetInt64(11)),
                FirstFailedAt = row.GetTimestamp(12),
                DeadAt = row.GetTimestamp(13),
            };
            return new DeadLetterRecord(
                id,
                letter,
                DeadLetterSql.ParseState(row.GetString(14)),
                TimestampOrNull(row, 15),
                checked((int)row.GetInt64(16)),
                TimestampOrNull(row, 17),
                StringOrNull(row, 18),
                StringOrNull(row, 19))
            {
                GroupKey = row.IsNull(20) ? null : DeadLetterFingerprint.FromStored(row.GetInt64(20)),
                ReplayedFrom = row.IsNull(21) ? null : row.GetInt64(21),
                FailedAgainId = row.IsNull(22) ? null : row.GetInt64(22),
                ResolvedAt = TimestampOrNull(row, 23),
            };
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new FormatException($"dead letter {id}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads what <see cref="DeadLetterSearch.IndexText"/> needs from a row selected with <see cref="DeadLetterSql.Unindexed"/>;
    /// a stored value that does not read (a hand-edited row) leaves its words out rather than the row unsearchable.
    /// </summary>
    public static DeadLetter ReadSearchable(IRowReader row)
    {
        DeadLetterProperties properties;
        IReadOnlyDictionary<string, object?> headers;
        try
        {
            properties = DeadLetterJson.DeserializeProperties(row.GetString(2));
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            properties = DeadLetterProperties.None;
        }
        try
        {
            headers = DeadLetterJson.DeserializeHeaders(row.GetString(3));
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            headers = DeadLetterJson.NoHeaders;
        }
        return new DeadLetter
        {
            MessageId = StringOrNull(row, 1),
            Properties = properties,
            Headers = headers,
            Body = row.IsNull(4) ? ReadOnlyMemory<byte>.Empty : row.GetBytes(4),
            Queue = "",
            ErrorType = row.GetString(5),
            ErrorMessage = row.GetString(6),
        };
    }

    /// <summary>Reads a row selected with <see cref="DeadLetterSql.Groups"/>.</summary>
    public static DeadLetterGroup ReadGroup(IRowReader row) => new(
        row.IsNull(0) ? "" : DeadLetterFingerprint.FromStored(row.GetInt64(0)),
        row.GetString(6),
        row.GetString(7),
        StringOrNull(row, 8) ?? "",
        DeadLetterFingerprint.UserFrames(StringOrNull(row, 9)),
        row.GetInt64(1),
        row.GetTimestamp(4),
        row.GetTimestamp(5),
        row.GetInt64(2));

    private static string? StringOrNull(IRowReader row, int ordinal) => row.IsNull(ordinal) ? null : row.GetString(ordinal);

    private static DateTimeOffset? TimestampOrNull(IRowReader row, int ordinal) => row.IsNull(ordinal) ? null : row.GetTimestamp(ordinal);
}
