using System.Globalization;
using ActorMq.Cli.Output;
using ActorMq.DeadStore;

namespace ActorMq.Cli.DeadLetters;

/// <summary>Dead letters as human-readable text: the listing table and the counts table.</summary>
internal static class DeadLetterText
{
    /// <summary>Widest error message shown in a listing row.</summary>
    public const int ErrorMessageWidth = 60;

    /// <summary>An instant as the CLI prints it: UTC, to the second, <c>2026-11-21 09:31:22</c>.</summary>
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";

    /// <summary>One row per dead letter: id, dead at, queue, error type, attempts, message id, state, error message (cut).</summary>
    public static string Table(IEnumerable<DeadLetterRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var table = new TextTable(
            new TextColumn("ID", Align.Right), new TextColumn("DEAD AT (UTC)"), new TextColumn("QUEUE"), new TextColumn("ERROR TYPE"),
            new TextColumn("ATTEMPTS", Align.Right), new TextColumn("MESSAGE ID", MaxWidth: 40), new TextColumn("STATE"),
            new TextColumn("ERROR", MaxWidth: ErrorMessageWidth));
        foreach (var row in rows)
        {
            var letter = row.Letter;
            table.Add(row.Id.ToString(CultureInfo.InvariantCulture), Time(letter.DeadAt), letter.Queue, letter.ErrorType,
                letter.Attempts.ToString(CultureInfo.InvariantCulture), letter.MessageId ?? "-", DeadLetterSelection.Name(row.State), letter.ErrorMessage);
        }
        return table.ToString();
    }

    /// <summary>How many dead letters per queue and error type, and a total line.</summary>
    public static string Counts(IReadOnlyList<DeadLetterCount> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var table = new TextTable(new TextColumn("QUEUE"), new TextColumn("ERROR TYPE"), new TextColumn("COUNT", Align.Right));
        foreach (var count in counts) table.Add(count.Queue, count.ErrorType, count.Count.ToString(CultureInfo.InvariantCulture));
        table.Add("total", "", counts.Sum(c => c.Count).ToString(CultureInfo.InvariantCulture));
        return table.ToString();
    }

    /// <summary>The line under a listing: which rows of how many are shown.</summary>
    public static string PageLine(long total, int page, int pageSize, int shown)
    {
        if (total == 0) return "No dead letters match.";
        var pages = (total + pageSize - 1) / pageSize;
        if (shown == 0) return $"{total} dead letters match; page {page} is past the last page ({pages}).";
        var first = (long)(page - 1) * pageSize + 1;
        return $"{total} dead {(total == 1 ? "letter matches" : "letters match")}; showing {first}-{first + shown - 1} (page {page} of {pages}).";
    }
}
