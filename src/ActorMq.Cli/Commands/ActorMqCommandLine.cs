using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using ActorMq.Cli.Terminal;

namespace ActorMq.Cli.Commands;

/// <summary>
/// The <c>actormq</c> command line on System.CommandLine: the commands, help (<c>-h</c>, <c>--help</c>), <c>--version</c>,
/// the <c>[suggest]</c> directive behind tab completion (and <c>actormq completion bash|zsh</c>, which prints the shell
/// hook), and errors with typo suggestions. Exit codes: 0 ok, 1 failure, 2 usage error.
/// </summary>
internal static class ActorMqCommandLine
{
    /// <summary>The root command with every command under it.</summary>
    public static RootCommand Build(CliConsole console)
    {
        var root = new RootCommand("actormq: the operator's tool for ActorMq's dead store, its configuration and its admin page.");
        var deadLetters = new Command("dead-letters", "List, group, show, replay, discard and purge dead letters.")
        {
            DeadLettersListCommand.Create(console),
            DeadLettersGroupsCommand.Create(console),
            DeadLettersShowCommand.Create(console),
            DeadLettersReplayCommand.Create(console),
            DeadLettersRemovalCommand.Purge(console),
            DeadLettersRemovalCommand.Discard(console),
        };
        var config = new Command("config", "Render or check a HOCON configuration file.")
        {
            ConfigRenderCommand.Create(console),
            ConfigCheckCommand.Create(console),
        };
        root.Subcommands.Add(deadLetters);
        root.Subcommands.Add(config);
        root.Subcommands.Add(DemoCommand.Create(console));
        root.Subcommands.Add(AdminCommand.Create(console));
        root.Subcommands.Add(CompletionCommand.Create(console));
        var help = root.Options.OfType<HelpOption>().Single();
        var named = new NamedHelpAction((HelpAction)help.Action!);
        help.Action = named;
        // `actormq` alone: the overview, as a usage error (something was expected).
        root.SetAction(parseResult =>
        {
            named.Invoke(parseResult);
            return ExitCodes.Usage;
        });
        return root;
    }

    /// <summary>
    /// System.CommandLine's help with the command called by its installed name: the root command takes the name of the
    /// executable, which is the assembly's (ActorMq.Cli) when run with <c>dotnet</c>.
    /// </summary>
    private sealed class NamedHelpAction(HelpAction inner) : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var output = parseResult.InvocationConfiguration.Output;
            using var help = new StringWriter();
            parseResult.InvocationConfiguration.Output = help;
            try
            {
                inner.Invoke(parseResult);
            }
            finally
            {
                parseResult.InvocationConfiguration.Output = output;
            }
            var root = parseResult.RootCommandResult.Command.Name;
            output.Write(help.ToString().Replace($"\n  {root} ", "\n  actormq ", StringComparison.Ordinal)
                .Replace($"\n  {root}\n", "\n  actormq\n", StringComparison.Ordinal));
            return ExitCodes.Ok;
        }
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var parseResult = Build(console).Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            await ParseErrors.WriteAsync(console, parseResult).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        var invocation = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            // Program.cs handles Ctrl-C itself (the first one stops the command cleanly, a second one kills).
            ProcessTerminationTimeout = null,
            // An exception no command expected is a bug: Program.cs reports it whole.
            EnableDefaultExceptionHandler = false,
        };
        return await parseResult.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }
}
