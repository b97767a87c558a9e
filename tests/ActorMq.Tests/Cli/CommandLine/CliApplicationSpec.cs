using Xunit;

namespace ActorMq.Tests.Cli.CommandLine;

public sealed class CliApplicationSpec
{
    [Fact]
    public async Task No_arguments_must_print_the_overview_with_usage_exit_code()
    {
        var result = await CliRunner.RunAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("dead-letters replay", result.Output);
        Assert.Contains("exit codes: 0 ok, 1 failure, 2 usage error", result.Output);
    }

    [Fact]
    public async Task Help_must_print_the_overview()
    {
        Assert.Equal(0, (await CliRunner.RunAsync("--help")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("help")).ExitCode);
    }

    [Theory]
    [InlineData("unknown command 'frobnicate'", "frobnicate")]
    [InlineData("unknown command 'dead-letters lst'", "dead-letters", "lst")]
    [InlineData("'config' needs a subcommand", "config")]
    public async Task Unknown_commands_must_be_usage_errors(string expected, params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"actormq: {expected}", result.Error);
    }

    [Fact]
    public async Task A_command_help_must_list_its_options_and_exit_zero()
    {
        var result = await CliRunner.RunAsync("dead-letters", "replay", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("usage: actormq dead-letters replay (<id> | --all | filters...)", result.Output);
        Assert.Contains("--to-original-exchange", result.Output);
    }

    [Fact]
    public async Task A_bad_option_must_name_it_and_show_the_usage_line()
    {
        var result = await CliRunner.RunAsync("dead-letters", "list", "--colour");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("actormq dead-letters list: unknown option '--colour'", result.Error);
        Assert.Contains("usage: actormq dead-letters list", result.Error);
    }
}
