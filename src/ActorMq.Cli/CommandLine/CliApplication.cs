using ActorMq.Cli.Commands;

namespace ActorMq.Cli.CommandLine;

/// <summary>
/// The <c>actormq</c> command line: finds the command named by the first words (<c>dead-letters list</c>,
/// <c>config render</c>, <c>demo</c>, <c>admin</c> ...) and runs it with the rest; prints the overview for
/// <c>actormq</c>, <c>actormq help</c> or <c>actormq --help</c>.
/// </summary>
internal static class CliApplication
{
    /// <summary>Every command except <c>admin</c> (which parses its own arguments), in the order the overview lists them.</summary>
    public static IReadOnlyList<Command> Commands { get; } =
    [
        new DeadLettersListCommand(),
        new DeadLettersShowCommand(),
        new DeadLettersReplayCommand(),
        new DeadLettersPurgeCommand(),
        new DeadLettersDiscardCommand(),
        new ConfigRenderCommand(),
        new ConfigCheckCommand(),
        new DemoCommand(),
    ];

    private const string AdminName = "admin";
    private const string AdminSummary = "the admin page (see 'actormq admin --help')";

    /// <summary>Runs the command line <paramref name="args"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        if (args.Count == 0 || args[0] is "help" or "-h" or "--help")
        {
            await console.Out.WriteAsync(Overview()).ConfigureAwait(false);
            return args.Count == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }
        if (args[0] == AdminName) return await AdminCommand.RunAsync([.. args.Skip(1)], console.Out, cancellationToken).ConfigureAwait(false);

        foreach (var command in Commands)
        {
            var words = command.Syntax.Name.Split(' ');
            if (args.Count >= words.Length && words.Select((w, i) => args[i] == w).All(match => match))
                return await command.RunAsync([.. args.Skip(words.Length)], console, cancellationToken).ConfigureAwait(false);
        }

        var group = Commands.Where(c => c.Syntax.Name.StartsWith(args[0] + " ", StringComparison.Ordinal)).ToList();
        var problem = group.Count > 0
            ? args.Count > 1 ? $"unknown command '{args[0]} {args[1]}'" : $"'{args[0]}' needs a subcommand"
            : $"unknown command '{args[0]}'";
        await console.Error.WriteLineAsync($"actormq: {problem}").ConfigureAwait(false);
        await console.Error.WriteAsync(Overview(group.Count > 0 ? group : null)).ConfigureAwait(false);
        return ExitCodes.Usage;
    }

    /// <summary>The list of commands with their summaries.</summary>
    public static string Overview(IReadOnlyList<Command>? only = null)
    {
        var rows = (only ?? Commands).Select(c => (c.Syntax.Name, c.Syntax.Summary)).ToList();
        if (only is null) rows.Add((AdminName, AdminSummary));
        var width = rows.Max(r => r.Item1.Length);
        var text = new System.Text.StringBuilder("usage: actormq <command> [options]   (actormq <command> --help for its options)\n\ncommands:\n");
        foreach (var (name, summary) in rows) text.Append("  ").Append(name.PadRight(width)).Append("  ").Append(summary).Append('\n');
        text.Append("\nexit codes: 0 ok, 1 failure, 2 usage error\n");
        return text.ToString();
    }
}
