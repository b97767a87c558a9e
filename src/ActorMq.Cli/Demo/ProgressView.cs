using System.Globalization;
using System.Text;

namespace ActorMq.Cli.Demo;

/// <summary>
/// Draws the demo's progress. On a terminal the block of lines is redrawn in place with ANSI escapes; otherwise one
/// plain summary line is printed per <c>plain-interval</c>.
/// </summary>
internal sealed class ProgressView(TextWriter output, bool terminal)
{
    private int _drawnLines;

    /// <summary>True when the view redraws in place.</summary>
    public bool IsTerminal => terminal;

    /// <summary>Draws <paramref name="snapshot"/>: in place on a terminal, as one line otherwise.</summary>
    public async Task DrawAsync(DemoSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!terminal)
        {
            await output.WriteLineAsync(Line(snapshot)).ConfigureAwait(false);
            return;
        }
        var lines = Block(snapshot);
        var text = new StringBuilder();
        if (_drawnLines > 0) text.Append("\u001b[").Append(_drawnLines.ToString(CultureInfo.InvariantCulture)).Append('F');
        foreach (var line in lines) text.Append("\u001b[2K").Append(line).Append('\n');
        text.Append("\u001b[J");
        _drawnLines = lines.Count;
        await output.WriteAsync(text.ToString()).ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Leaves the last drawing on screen: what is written next goes below it.</summary>
    public void Release() => _drawnLines = 0;

    /// <summary>The block drawn on a terminal.</summary>
    public static IReadOnlyList<string> Block(DemoSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var lines = new List<string>
        {
            $"ActorMq demo · order processing · {s.Phase,-28} {s.Elapsed:mm\\:ss}",
            $"  published          {s.Published,5} / {s.Orders}  {Bar(s.Published, s.Orders)}",
            $"  handled            {s.Handled,5} / {s.Orders}  {Bar(s.Handled, s.Orders)}",
            $"  retrying           {s.Tiers.Sum(t => t.Waiting),5}   " + string.Join("   ", s.Tiers.Select(t => $"tier {t.Tier}: {t.Waiting}")),
            $"  dead-lettered      {s.DeadLettered,5}   (bad payload {s.Poison}, retries exhausted {s.Exhausted})",
            $"  replayed           {s.Replayed,5}   handled after replay {s.HandledAfterReplay}",
        };
        if (s.Statistics is { } st)
            lines.Add($"  ActorMq statistics: confirmed {st.Confirmed}, consumed {st.Consumed}, handled {st.Handled}, failed {st.Failed}, retried {st.Retried}, dead-lettered {st.DeadLettered}, replayed {st.Replayed}");
        if (s.Stale > 0) lines.Add($"  ignored {s.Stale} messages of an earlier run");
        lines.Add("  recent:");
        lines.AddRange(s.Recent.Select(r => "    " + r));
        return lines;
    }

    /// <summary>The line printed per interval when the output is not a terminal.</summary>
    public static string Line(DemoSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return $"[{s.Elapsed:mm\\:ss}] {s.Phase}: published {s.Published}/{s.Orders}, handled {s.Handled}, retrying {s.Tiers.Sum(t => t.Waiting)} (" +
               string.Join(", ", s.Tiers.Select(t => $"{t.Tier}: {t.Waiting}")) +
               $"), dead-lettered {s.DeadLettered} (bad payload {s.Poison}, retries exhausted {s.Exhausted}), replayed {s.Replayed}, handled after replay {s.HandledAfterReplay}";
    }

    private static string Bar(long value, int total)
    {
        const int width = 30;
        var filled = total == 0 ? 0 : (int)Math.Clamp(value * width / total, 0, width);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }
}
