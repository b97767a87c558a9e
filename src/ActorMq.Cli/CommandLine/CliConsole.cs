namespace ActorMq.Cli.CommandLine;

/// <summary>
/// Where a command writes and reads: the process console, or writers and a reader given by a test. A command asks
/// <see cref="IsInteractive"/> before prompting and <see cref="IsTerminal"/> before drawing with ANSI escapes.
/// </summary>
/// <param name="Out">Results (tables, JSON).</param>
/// <param name="Error">Errors, warnings and prompts.</param>
/// <param name="In">Answers to prompts.</param>
/// <param name="IsInteractive">True when <see cref="In"/> is a terminal someone types into.</param>
/// <param name="IsTerminal">True when <see cref="Out"/> is a terminal that understands ANSI escapes.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In, bool IsInteractive, bool IsTerminal)
{
    /// <summary>The process's console.</summary>
    public static CliConsole System() => new(Console.Out, Console.Error, Console.In,
        IsInteractive: !Console.IsInputRedirected,
        IsTerminal: !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "" or "dumb"));

    /// <summary>A non-interactive console writing results to <paramref name="output"/> and errors to <paramref name="error"/> (or also <paramref name="output"/>).</summary>
    public static CliConsole Writers(TextWriter output, TextWriter? error = null, TextReader? input = null) =>
        new(output, error ?? output, input ?? TextReader.Null, IsInteractive: input is not null, IsTerminal: false);
}
