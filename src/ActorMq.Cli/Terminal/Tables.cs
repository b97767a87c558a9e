using Spectre.Console;

namespace ActorMq.Cli.Terminal;

/// <summary>
/// The CLI's tables (Spectre.Console): columns two spaces apart without borders, so a pipe gets plain aligned text;
/// on a terminal the header is bold (coloured unless <c>NO_COLOR</c>) and the table wraps to the terminal's width.
/// Cells are <see cref="Text"/> objects, never markup: what came from a message cannot style or move anything.
/// </summary>
internal static class Tables
{
    /// <summary>A table with these headers; a header ending in <c>&gt;</c> is right-aligned (the mark is dropped).</summary>
    public static Table Create(CliConsole console, IAnsiConsole ansi, params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(ansi);
        var style = console.Colour(ansi.Profile.Capabilities.Ansi) ? new Style(Color.Aqua, decoration: Decoration.Bold) : Style.Plain;
        var table = new Table().Border(TableBorder.None).ShowHeaders();
        for (var i = 0; i < headers.Length; i++)
        {
            var right = headers[i].EndsWith('>');
            var header = right ? headers[i][..^1] : headers[i];
            var column = new TableColumn(new Text(header, style)).Padding(0, 0, i == headers.Length - 1 ? 0 : 2, 0);
            if (right) column.RightAligned();
            table.AddColumn(column);
        }
        return table;
    }

    /// <summary>Adds a row of plain-text cells.</summary>
    public static Table Row(this Table table, params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.AddRow(cells.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)).ToArray());
        return table;
    }
}
