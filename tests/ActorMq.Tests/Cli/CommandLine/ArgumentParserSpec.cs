using ActorMq.Cli.CommandLine;
using Xunit;

namespace ActorMq.Tests.Cli.CommandLine;

public sealed class ArgumentParserSpec
{
    private static readonly CommandSyntax Syntax = new("things list", "Lists things.", "things list <id> [--queue Q] [--json]",
        [OptionSpec.Value("--queue", "QUEUE", "the queue"), OptionSpec.Value("--page", "N", "the page"), OptionSpec.Flag("--json", "json")],
        [new ArgumentSpec("id", "the id", Required: true), new ArgumentSpec("extra", "optional", Required: false)]);

    private static ParsedArguments Parse(params string[] args) => ArgumentParser.Parse(Syntax, args);

    [Fact]
    public void Parser_must_read_values_flags_and_positionals_in_any_order()
    {
        var parsed = Parse("--queue", "orders", "7", "--json", "--page=3");

        Assert.Equal("orders", parsed.Value("--queue"));
        Assert.True(parsed.Has("--json"));
        Assert.Equal(3, parsed.Int("--page", 1));
        Assert.Equal(7, parsed.Id("id"));
        Assert.Null(parsed.Argument("extra"));
    }

    [Fact]
    public void Parser_must_take_everything_after_a_double_dash_as_positionals()
    {
        var parsed = Parse("--", "--json", "-5");

        Assert.False(parsed.Has("--json"));
        Assert.Equal(["--json", "-5"], parsed.Positionals);
    }

    [Fact]
    public void Parser_must_accept_a_value_that_starts_with_dashes_when_it_is_no_known_option()
    {
        Assert.Equal("--weird-queue", Parse("1", "--queue", "--weird-queue").Value("--queue"));
    }

    [Theory]
    [InlineData("unknown option '--queu'", "1", "--queu", "x")]
    [InlineData("option '--queue' needs a value (QUEUE)", "1", "--queue")]
    [InlineData("option '--queue' needs a value (QUEUE)", "1", "--queue", "--json")]
    [InlineData("option '--json' takes no value", "1", "--json=yes")]
    [InlineData("option '--queue' is given twice", "1", "--queue", "a", "--queue", "b")]
    [InlineData("missing argument <id>", "--json")]
    [InlineData("unexpected argument 'three'", "1", "2", "three")]
    public void Parser_must_name_what_is_wrong(string expected, params string[] args)
    {
        var error = Assert.Throws<UsageException>(() => Parse(args));

        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void Parser_must_list_the_known_options_for_an_unknown_one()
    {
        var error = Assert.Throws<UsageException>(() => Parse("1", "--nope"));

        Assert.Contains("known: --queue, --page, --json", error.Message);
    }

    [Fact]
    public void Help_must_win_over_missing_arguments()
    {
        Assert.True(Parse("--help").HelpRequested);
        Assert.True(Parse("-h").HelpRequested);
        Assert.False(Parse("1").HelpRequested);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("x")]
    [InlineData("1.5")]
    public void Integer_options_must_name_the_option_and_the_bad_value(string value)
    {
        var error = Assert.Throws<UsageException>(() => Parse("1", "--page", value).Int("--page", 1));

        Assert.Equal($"option '--page': expected an integer >= 1, got '{value}'", error.Message);
    }

    [Fact]
    public void An_id_must_be_a_positive_integer()
    {
        var error = Assert.Throws<UsageException>(() => Parse("abc").Id("id"));

        Assert.Equal("<id>: expected a dead-letter id (an integer >= 1), got 'abc'", error.Message);
    }

    [Fact]
    public void Help_text_must_list_arguments_and_options()
    {
        var help = Syntax.Help();

        Assert.StartsWith("usage: actormq things list <id> [--queue Q] [--json]", help);
        Assert.Contains("  <id>           the id", help);
        Assert.Contains("  --queue QUEUE  the queue", help);
        Assert.Contains("  -h, --help     show this help", help);
    }
}
