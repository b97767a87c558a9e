using System.Text;

namespace ActorMq.Cli.Output;

/// <summary>How a column's cells line up.</summary>
internal enum Align
{
    /// <summary>Text: padded on the right.</summary>
    Left,

    /// <summary>Numbers: padded on the left.</summary>
    Right,
}

/// <summary>A column: its header, alignment, and the widest a cell may be before it is cut with an ellipsis.</summary>
internal sealed record TextColumn(string Header, Align Align = Align.Left, int MaxWidth = int.MaxValue);

/// <summary>An aligned plain-text table: a header row, then one row per item, columns two spaces apart.</summary>
internal sealed class TextTable(params TextColumn[] columns)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Adds a row; one cell per column. Line breaks in a cell become spaces.</summary>
    public TextTable Add(params string?[] cells)
    {
        if (cells.Length != columns.Length) throw new ArgumentException($"expected {columns.Length} cells, got {cells.Length}", nameof(cells));
        _rows.Add([.. cells.Select((c, i) => Cut(OneLine(c ?? ""), columns[i].MaxWidth))]);
        return this;
    }

    /// <summary>How many rows were added.</summary>
    public int Count => _rows.Count;

    /// <summary>The table as text, each line ending in a newline; trailing spaces trimmed.</summary>
    public override string ToString()
    {
        var widths = columns.Select((c, i) => Math.Max(c.Header.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        AppendRow(text, [.. columns.Select(c => c.Header)], widths);
        foreach (var row in _rows) AppendRow(text, row, widths);
        return text.ToString();
    }

    /// <summary><paramref name="text"/> cut to <paramref name="max"/> characters, the last one an ellipsis.</summary>
    public static string Cut(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= max ? text : max <= 1 ? text[..max] : string.Concat(text.AsSpan(0, max - 1), "…");
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0) line.Append("  ");
            line.Append(columns[i].Align == Align.Right ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]));
        }
        text.Append(line.ToString().TrimEnd()).Append('\n');
    }
}
