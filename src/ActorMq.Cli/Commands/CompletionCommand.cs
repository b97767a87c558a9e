using System.CommandLine;
using ActorMq.Cli.Terminal;

namespace ActorMq.Cli.Commands;

/// <summary>
/// <c>actormq completion bash|zsh</c>: the shell hook for tab completion. It asks the command itself through
/// System.CommandLine's <c>[suggest]</c> directive (<c>actormq "[suggest:12]" "actormq dead"</c>), so completions always
/// match the installed version: commands, options, and values such as <c>--state</c>'s.
/// </summary>
internal static class CompletionCommand
{
    private const string Bash = """
        # actormq tab completion for bash: add to ~/.bashrc:  source <(actormq completion bash)
        _actormq_complete() {
          local IFS=$'\n'
          COMPREPLY=( $(actormq "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null) )
        }
        complete -o default -F _actormq_complete actormq

        """;

    private const string Zsh = """
        # actormq tab completion for zsh: add to ~/.zshrc:  source <(actormq completion zsh)
        _actormq_complete() {
          local -a completions
          completions=( ${(f)"$(actormq "[suggest:${#BUFFER}]" "${BUFFER}" 2>/dev/null)"} )
          compadd -a completions
        }
        compdef _actormq_complete actormq

        """;

    public static Command Create(CliConsole console)
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        return CliCommand.Create("completion", "Print the shell hook for tab completion (source <(actormq completion bash)).", console, async (parsed, _) =>
        {
            await console.Out.WriteAsync(parsed.GetValue(shell) == "zsh" ? Zsh : Bash).ConfigureAwait(false);
            return ExitCodes.Ok;
        }, shell);
    }
}
