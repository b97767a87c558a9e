using ActorMq.Cli.DeadLetters;
using ActorMq.Cli.Terminal;
using Spectre.Console;
using Spectre.Console.Rendering;
using ActorMq.DeadStore;
using ActorMq.Tests.DeadStore;
using Xunit;

namespace ActorMq.Tests.Cli.DeadLetters;

public sealed class DeadLetterTextSpec
{
    /// <summary>What a table prints when the output is not a terminal.</summary>
    private static string Render(Func<CliConsole, IAnsiConsole, IRenderable> table)
    {
        using var output = new StringWriter();
        var console = CliConsole.Writers(output);
        var ansi = console.Ansi();
        ansi.Write(table(console, ansi));
        return string.Join('\n', output.ToString().Split('\n').Select(l => l.TrimEnd()));
    }

    private static DeadLetterRecord Row(long id, DeadLetter letter, DeadLetterState state = DeadLetterState.Dead) =>
        new(id, letter, state, null, 0, null, null, null);

    [Fact]
    public void Listing_must_show_one_aligned_row_per_dead_letter_with_the_error_cut()
    {
        var longError = "inventory service timed out while reserving stock for every line of the order, then gave up";
        var text = Render((console, ansi) => DeadLetterText.Table(console, ansi,
        [
            Row(3, DeadLetterSamples.Letter(messageId: "o-3", errorMessage: "bad payload")),
            Row(12, DeadLetterSamples.Letter(queue: "payments", errorType: "System.InvalidOperationException", messageId: "p-12", errorMessage: longError,
                deadAt: DeadLetterSamples.Epoch.AddHours(1)), DeadLetterState.Replayed),
        ]));

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("ID  DEAD AT (UTC)        QUEUE     ERROR TYPE                        ATTEMPTS  MESSAGE ID  STATE               ERROR", lines[0]);
        Assert.Equal(" 3  2026-03-14 09:26:53  orders    System.TimeoutException                  4  o-3         dead                bad payload", lines[1]);
        Assert.Equal($"12  2026-03-14 10:26:53  payments  System.InvalidOperationException         4  p-12        replayed (pending)  {longError[..48]}…(+43 chars)", lines[2]);
    }

    [Fact]
    public void Counts_must_end_with_the_total()
    {
        var text = Render((console, ansi) => DeadLetterText.Counts(console, ansi,
            [new DeadLetterCount("orders", "System.TimeoutException", 12), new DeadLetterCount("orders", "X", 3)]));

        Assert.Equal(
            "QUEUE   ERROR TYPE               COUNT\n" +
            "orders  System.TimeoutException     12\n" +
            "orders  X                            3\n" +
            "total                               15\n", text);
    }

    [Theory]
    [InlineData(0, 1, 50, 0, "No dead letters match.")]
    [InlineData(1, 1, 50, 1, "1 dead letter matches; showing 1-1 (page 1 of 1).")]
    [InlineData(57, 2, 20, 20, "57 dead letters match; showing 21-40 (page 2 of 3).")]
    [InlineData(57, 9, 20, 0, "57 dead letters match; page 9 is past the last page (3).")]
    public void Page_line_must_say_which_rows_of_how_many_are_shown(long total, int page, int size, int shown, string expected)
    {
        Assert.Equal(expected, DeadLetterText.PageLine(total, page, size, shown));
    }
}
