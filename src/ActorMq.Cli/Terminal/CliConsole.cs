using Spectre.Console;

namespace ActorMq.Cli.Terminal;

/// <summary>
/// Where a command writes and reads: the process console, or writers and a reader given by a test. Human output goes
/// through <see cref="Ansi"/> (Spectre.Console): colour only on a terminal and never with <c>NO_COLOR</c>; machine
/// output (<c>--json</c>) is written to <see cref="Out"/> as it is, never through Spectre.
/// </summary>
/// <param name="Out">Results (tables, JSON).</param>
/// <param name="Error">Errors, warnings, prompts and progress.</param>
/// <param name="In">Answers to prompts.</param>
/// <param name="IsInteractive">True when <see cref="In"/> is a terminal someone types into.</param>
/// <param name="IsTerminal">True when <see cref="Out"/> is a terminal.</param>
/// <param name="IsErrorTerminal">True when <see cref="Error"/> is a terminal (where progress bars are drawn).</param>
/// <param name="NoColor">True when <c>NO_COLOR</c> is set (to anything but the empty string).</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In, bool IsInteractive, bool IsTerminal, bool IsErrorTerminal, bool NoColor)
{
    /// <summary>Width of tables when the output is not a terminal: wide enough that rows are never wrapped (cells are cut before).</summary>
    public const int PipeWidth = 1000;

    /// <summary>The process's console.</summary>
    public static CliConsole System()
    {
        var dumb = Environment.GetEnvironmentVariable("TERM") is "dumb";
        // Standard input as a plain stream: Console.In would put the terminal in keypad mode (an escape sequence on the
        // output) before a prompt is even needed.
        return new(Console.Out, Console.Error, new StreamReader(Console.OpenStandardInput()),
            IsInteractive: !Console.IsInputRedirected,
            IsTerminal: !Console.IsOutputRedirected && !dumb,
            IsErrorTerminal: !Console.IsErrorRedirected && !dumb,
            NoColor: !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));
    }

    /// <summary>A console writing results to <paramref name="output"/> and errors to <paramref name="error"/>; interactive when <paramref name="input"/> is given.</summary>
    public static CliConsole Writers(TextWriter output, TextWriter? error = null, TextReader? input = null) =>
        new(output, error ?? output, input ?? TextReader.Null, IsInteractive: input is not null, IsTerminal: false, IsErrorTerminal: false, NoColor: true);

    /// <summary>A Spectre console on <see cref="Out"/>.</summary>
    public IAnsiConsole Ansi() => Create(Out, IsTerminal);

    /// <summary>A Spectre console on <see cref="Error"/> (prompts, warnings, progress).</summary>
    public IAnsiConsole AnsiError() => Create(Error, IsErrorTerminal);

    /// <summary>True when colour may be used on the writer (a terminal, and no <c>NO_COLOR</c>).</summary>
    public bool Colour(bool terminal) => terminal && !NoColor;

    private IAnsiConsole Create(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            // On a terminal Spectre may move the cursor (progress bars); colours only without NO_COLOR.
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Colour(terminal) ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!terminal) console.Profile.Width = PipeWidth;
        return console;
    }
}
