using Spectre.Console;

namespace ActorMq.Cli.Terminal;

/// <summary>Error and warning lines on standard error: red (yellow for warnings) on a terminal without <c>NO_COLOR</c>, plain otherwise.</summary>
internal static class ErrorOutput
{
    /// <summary>The first line as the error, the others as plain hints.</summary>
    public static async Task WriteAsync(CliConsole console, string error, params string[] hints)
    {
        ArgumentNullException.ThrowIfNull(console);
        await WriteLineAsync(console, error, Color.Red).ConfigureAwait(false);
        foreach (var hint in hints) await console.Error.WriteLineAsync(hint).ConfigureAwait(false);
    }

    /// <summary>A warning line.</summary>
    public static Task WarnAsync(CliConsole console, string warning)
    {
        ArgumentNullException.ThrowIfNull(console);
        return WriteLineAsync(console, warning, Color.Yellow);
    }

    private static async Task WriteLineAsync(CliConsole console, string line, Color colour)
    {
        if (!console.Colour(console.IsErrorTerminal))
        {
            await console.Error.WriteLineAsync(line).ConfigureAwait(false);
            return;
        }
        console.AnsiError().Write(new Text(line + "\n", new Style(colour)));
        await console.Error.FlushAsync().ConfigureAwait(false);
    }
}
