using System.CommandLine;
using ActorMq.Cli.Commands;
using ActorMq.Cli.DeadLetters;
using ActorMq.DeadStore;
using Xunit;

namespace ActorMq.Tests.Cli.DeadLetters;

public sealed class DeadLetterSelectionSpec
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The selection of a command with the id argument, --all and the filters, as replay, purge and discard have them.</summary>
    private static DeadLetterSelection Select(params string[] args)
    {
        var options = new SelectionOptions("the dead letter");
        var command = new RootCommand();
        foreach (var symbol in options.Symbols())
        {
            if (symbol is Option option) command.Options.Add(option);
            else command.Arguments.Add((Argument)symbol);
        }
        var parsed = command.Parse(args);
        Assert.Empty(parsed.Errors);
        return options.Read(parsed, Now);
    }

    [Fact]
    public void Filter_options_must_all_apply_together()
    {
        var selection = Select("--queue", "orders", "--error-type", "System.TimeoutException", "--message-id", "m-1", "--text", "timed out",
            "--search", "Order 42", "--from", "2026-11-20", "--to", "2026-11-21T10:00:00+02:00", "--state", "dead,replayed");

        Assert.True(selection.IsExplicit);
        Assert.Equal(new DeadLetterFilter
        {
            Queue = "orders",
            ErrorType = "System.TimeoutException",
            MessageId = "m-1",
            ErrorMessageContains = "timed out",
            Search = "Order 42",
            DeadFrom = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero),
            DeadBefore = new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero),
            States = selection.Filter.States,
        }, selection.Filter);
        Assert.Equal(new[] { DeadLetterState.Dead, DeadLetterState.Replayed }, selection.Filter.States);
        Assert.Equal("queue = orders, error type = System.TimeoutException, message id = m-1, error message contains \"timed out\", search \"Order 42\", " +
                     "dead at or after 2026-11-20 00:00:00Z, dead before 2026-11-21 08:00:00Z, state = dead or replayed", selection.Description);
    }

    [Theory]
    [InlineData("30m", 0, 30)]
    [InlineData("2h", 2, 0)]
    [InlineData("1.5h", 1, 30)]
    [InlineData("7d", 168, 0)]
    public void An_age_must_count_back_from_now(string age, int hours, int minutes)
    {
        Assert.Equal(Now - new TimeSpan(hours, minutes, 0), Select("--from", age).Filter.DeadFrom);
    }

    [Fact]
    public void An_id_must_select_exactly_that_row()
    {
        var selection = Select("42");

        Assert.Equal(new[] { 42L }, selection.Filter.Ids);
        Assert.Equal("id 42", selection.Description);
    }

    [Fact]
    public void All_must_select_every_row_and_nothing_must_be_marked_implicit()
    {
        Assert.Equal((DeadLetterFilter.All, true), (Select("--all").Filter, Select("--all").IsExplicit));
        Assert.Equal((DeadLetterFilter.All, false), (Select().Filter, Select().IsExplicit));
    }

    [Theory]
    [InlineData("give an id, --all, or filter options, not several of them", "3", "--queue", "q")]
    [InlineData("give an id, --all, or filter options, not several of them", "3", "--all")]
    [InlineData("--all selects every dead letter: drop it to use filter options", "--all", "--queue", "q")]
    [InlineData("option '--state': expected one of dead, replaying, replayed, discarded, resolved, failed-again, got 'gone'", "--state", "dead,gone")]
    [InlineData("option '--from': expected an ISO 8601 time (2026-11-21T09:30:00Z, 2026-11-21) or an age (30m, 2h, 7d), got 'yesterday'", "--from", "yesterday")]
    [InlineData("option '--search': '!?' holds no letter or digit to search for", "--search", "!?")]
    [InlineData("options '--from' and '--to': --from (2026-11-21 00:00:00Z) must be before --to (2026-11-20 00:00:00Z)", "--from", "2026-11-21", "--to", "2026-11-20")]
    public void Contradicting_or_bad_selections_must_be_usage_errors(string expected, params string[] args)
    {
        Assert.Equal(expected, Assert.Throws<UsageException>(() => Select(args)).Message);
    }
}
