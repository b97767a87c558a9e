using System.Globalization;
using Spectre.Console;

namespace ActorMq.Cli.Demo;

/// <summary>The demo's progress on a terminal: Spectre.Console progress bars for publishing, handling, retries, dead letters and replays.</summary>
internal sealed class DemoProgressBars
{
    private readonly ProgressTask _published, _handled, _retrying, _dead, _replayed;

    public DemoProgressBars(ProgressContext context, DemoSnapshot first)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(first);
        _published = context.AddTask("published", maxValue: first.Orders);
        _handled = context.AddTask("handled", maxValue: first.Orders);
        _retrying = context.AddTask("retrying", maxValue: first.Orders);
        _dead = context.AddTask("dead-lettered", maxValue: first.Orders);
        _replayed = context.AddTask("replayed", maxValue: 1);
    }

    /// <summary>Moves the bars to <paramref name="s"/>; the descriptions carry the numbers (nothing from a message).</summary>
    public void Update(DemoSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var waiting = s.Tiers.Sum(t => t.Waiting);
        Set(_published, s.Published, $"published {s.Published}/{s.Orders} ({Markup.Escape(s.Phase)}, {s.Elapsed:mm\\:ss})");
        Set(_handled, s.Handled, $"handled {s.Handled}/{s.Orders}");
        Set(_retrying, waiting, $"retrying {waiting}  " + string.Join("  ", s.Tiers.Select(t => $"{Markup.Escape(t.Tier)}: {t.Waiting}")));
        Set(_dead, s.DeadLettered, $"dead-lettered {s.DeadLettered} (bad payload {s.Poison}, retries exhausted {s.Exhausted})");
        _replayed.MaxValue = Math.Max(1, s.DeadLettered);
        Set(_replayed, s.Replayed, $"replayed {s.Replayed}, handled after replay {s.HandledAfterReplay}");
    }

    private static void Set(ProgressTask task, long value, string description)
    {
        task.Value = Math.Min(value, task.MaxValue);
        task.Description = description.ToString(CultureInfo.InvariantCulture);
    }
}
