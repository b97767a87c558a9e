using System.Globalization;
using ActorMq.Cli.Terminal;
using ActorMq.DeadStore;
using ActorMq.Diagnostics;
using Spectre.Console;

namespace ActorMq.Cli.DeadLetters;

/// <summary>
/// Dead letters as human-readable tables. Every text that came from a message goes through
/// <see cref="UntrustedText.OneLine"/> (controls, bidi and zero-width characters shown as escapes) and is cut to its
/// column's width, so no value can reach the terminal raw or push the other columns off screen.
/// </summary>
internal static class DeadLetterText
{
    /// <summary>Widest error message shown in a listing row.</summary>
    public const int ErrorMessageWidth = 60;

    /// <summary>Widest queue name, error type, message id in a table cell.</summary>
    public const int QueueWidth = 48, ErrorTypeWidth = 60, MessageIdWidth = 40;

    /// <summary>An instant as the CLI prints it: UTC, to the second, <c>2026-11-21 09:31:22</c>.</summary>
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";

    /// <summary>A text from a message as a table cell: escaped, on one line, at most <paramref name="width"/> characters.</summary>
    public static string Cell(string? text, int width) => UntrustedText.OneLine(text, width);

    /// <summary>One row per dead letter: id, dead at, queue, error type, attempts, message id, state, error message (cut).</summary>
    public static Table Table(CliConsole console, IAnsiConsole ansi, IEnumerable<DeadLetterRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var table = Tables.Create(console, ansi, "ID>", "DEAD AT (UTC)", "QUEUE", "ERROR TYPE", "ATTEMPTS>", "MESSAGE ID", "STATE", "ERROR");
        foreach (var row in rows)
        {
            var letter = row.Letter;
            table.Row(row.Id.ToString(CultureInfo.InvariantCulture), Time(letter.DeadAt), Cell(letter.Queue, QueueWidth), Cell(letter.ErrorType, ErrorTypeWidth),
                letter.Attempts.ToString(CultureInfo.InvariantCulture), letter.MessageId is null ? "-" : Cell(letter.MessageId, MessageIdWidth),
                DeadLetterSelection.Shown(row), Cell(letter.ErrorMessage, ErrorMessageWidth));
        }
        return table;
    }

    /// <summary>How many dead letters per queue and error type, and a total line.</summary>
    public static Table Counts(CliConsole console, IAnsiConsole ansi, IReadOnlyList<DeadLetterCount> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var table = Tables.Create(console, ansi, "QUEUE", "ERROR TYPE", "COUNT>");
        foreach (var count in counts) table.Row(Cell(count.Queue, QueueWidth), Cell(count.ErrorType, ErrorTypeWidth), count.Count.ToString(CultureInfo.InvariantCulture));
        table.Row("total", "", counts.Sum(c => c.Count).ToString(CultureInfo.InvariantCulture));
        return table;
    }

    /// <summary>Widest masked error message in the groups table.</summary>
    public const int PatternWidth = 70;

    /// <summary>One row per failure group: key, count, first and last seen, queue, error type, sample id, masked message (cut).</summary>
    public static Table Groups(CliConsole console, IAnsiConsole ansi, IEnumerable<DeadLetterGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var table = Tables.Create(console, ansi, "GROUP", "COUNT>", "FIRST SEEN (UTC)", "LAST SEEN (UTC)", "QUEUE", "ERROR TYPE", "SAMPLE>", "ERROR");
        foreach (var group in groups)
        {
            table.Row(group.Key, group.Count.ToString(CultureInfo.InvariantCulture), Time(group.FirstSeen), Time(group.LastSeen), Cell(group.Queue, QueueWidth),
                Cell(group.ErrorType, ErrorTypeWidth), group.SampleId.ToString(CultureInfo.InvariantCulture), Cell(group.Pattern, PatternWidth));
        }
        return table;
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
