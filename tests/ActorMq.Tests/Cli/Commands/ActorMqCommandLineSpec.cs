using ActorMq.TestSupport;
using Xunit;

namespace ActorMq.Tests.Cli.Commands;

/// <summary>The actormq binary's command line: help, version, errors with suggestions, exit codes, tab completion.</summary>
public sealed class ActorMqCommandLineSpec
{
    [Fact]
    public async Task No_arguments_must_print_the_overview_with_the_usage_exit_code()
    {
        var result = await CliRunner.RunAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Usage:\n  actormq [command] [options]", result.Output);
        Assert.Contains("dead-letters", result.Output);
        Assert.Contains("completion <bash|zsh>", result.Output);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_must_print_the_overview_and_exit_zero(string option)
    {
        var result = await CliRunner.RunAsync(option);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Commands:", result.Output);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Version_must_print_the_informational_version()
    {
        var result = await CliRunner.RunAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Output);
    }

    [Fact]
    public async Task A_mistyped_command_must_be_a_usage_error_with_a_suggestion_and_nothing_on_standard_output()
    {
        var result = await CliRunner.RunAsync("dead-letters", "lsit");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains("actormq dead-letters: Unrecognized command or argument 'lsit'.", result.Error);
        Assert.Contains("Did you mean 'list' (for 'lsit')?", result.Error);
        Assert.Contains("Run 'actormq dead-letters --help' for usage.", result.Error);
    }

    [Fact]
    public async Task A_mistyped_option_must_be_a_usage_error_with_a_suggestion()
    {
        var result = await CliRunner.RunAsync("dead-letters", "list", "--queu", "orders");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("actormq dead-letters list: Unrecognized command or argument '--queu'.", result.Error);
        Assert.Contains("Did you mean '--queue' (for '--queu')?", result.Error);
    }

    [Theory]
    [InlineData("option '--page': expected an integer >= 1, got '0'", "dead-letters", "list", "--page", "0")]
    [InlineData("option '--connect-timeout': expected a duration such as 500ms, 30s or 2m, got 'soon'", "dead-letters", "replay", "--all", "--connect-timeout", "soon")]
    [InlineData("<id>: expected a dead-letter id (an integer >= 1), got 'x'", "dead-letters", "show", "x")]
    [InlineData("Required command was not provided.", "config")]
    [InlineData("Required argument missing for command: 'show'.", "dead-letters", "show")]
    [InlineData("Option '--config' is required.", "admin")]
    public async Task Bad_values_and_missing_parts_must_be_usage_errors_naming_them(string expected, params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error);
    }

    [Fact]
    public async Task A_command_help_must_list_its_options_and_exit_zero()
    {
        var result = await CliRunner.RunAsync("dead-letters", "replay", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:\n  actormq dead-letters replay [<id>] [options]", result.Output);
        Assert.Contains("--to-original-exchange", result.Output);
        Assert.Contains("--connect-timeout <DURATION>", result.Output);
    }

    [Fact]
    public async Task The_suggest_directive_must_complete_commands_options_and_state_values()
    {
        var commands = await CliRunner.RunAsync("[suggest:21]", "actormq dead-letters ");
        var options = await CliRunner.RunAsync("[suggest:31]", "actormq dead-letters list --pag");
        var states = await CliRunner.RunAsync("[suggest:41]", "actormq dead-letters list --state dead,rep");

        Assert.Equal(["discard", "groups", "list", "purge", "replay", "show"], Lines(commands.Output).Where(l => !l.StartsWith('-') && !l.StartsWith('/')));
        Assert.Equal(["--page", "--page-size"], Lines(options.Output));
        Assert.Equal(["dead,replayed", "dead,replaying"], Lines(states.Output).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Completion_must_print_a_bash_hook_that_uses_the_suggest_directive()
    {
        var bash = await CliRunner.RunAsync("completion", "bash");
        var other = await CliRunner.RunAsync("completion", "fish");

        Assert.Equal(0, bash.ExitCode);
        Assert.Contains("complete -o default -F _actormq_complete actormq", bash.Output);
        Assert.Contains("\"[suggest:${COMP_POINT}]\"", bash.Output);
        Assert.Equal(2, other.ExitCode);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
