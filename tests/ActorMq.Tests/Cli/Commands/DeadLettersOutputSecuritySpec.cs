using System.Globalization;
using System.Text;
using ActorMq.DeadStore;
using ActorMq.Tests.DeadStore;
using Xunit;

namespace ActorMq.Tests.Cli.Commands;

/// <summary>
/// Dead letters are written by whoever can publish to a queue. Crafted ones (clear screen, OSC 52 clipboard writes,
/// OSC 0 titles, OSC 8 links, bidi overrides, zero-width characters, a 100,000-character queue name) must reach the
/// operator's terminal as visible text only, in columns that stay bounded (issue 19, findings 4, 9 and 12).
/// </summary>
public sealed class DeadLettersOutputSecuritySpec : IDisposable
{
    private const string ClearScreen = "\u001b[2J\u001b[H";
    private const string Osc52 = "\u001b]52;c;cm0gLXJmIH4=\u0007";
    private const string Osc0 = "\u001b]0;you have been pwned\u0007";
    private const string Osc8 = "\u001b]8;;https://evil.test/\u001b\\click here\u001b]8;;\u001b\\";
    private const string Bidi = "orders\u202Egnp.exe";
    private const string ZeroWidth = "ord\u200Bers\u2060\uFEFF";

    private readonly LocalStore _store = new();

    public void Dispose() => _store.Dispose();

    private Task<IReadOnlyList<long>> ArrangeAsync() => _store.AddAsync(
        DeadLetterSamples.Letter(queue: "orders" + ClearScreen, errorType: Osc0 + "System.TimeoutException", errorMessage: "timed out" + Osc52,
            messageId: "m-1" + Osc8,
            headers: new Dictionary<string, object?>
            {
                ["x-evil" + ClearScreen] = Encoding.UTF8.GetBytes("value" + Osc52),
                ["x-bidi"] = Bidi,
                ["x-zero" + ZeroWidth] = "z" + ZeroWidth,
            },
            body: Encoding.UTF8.GetBytes("{\"note\":\"" + Bidi + "\",\"esc\":\"\\u001b[2J\"}")) with
        {
            RoutingKey = Bidi + ClearScreen,
            ErrorDetail = "   at Evil()\r" + Osc0 + "\n   at More()" + ClearScreen,
        },
        DeadLetterSamples.Letter(queue: new string('q', 100_000), errorMessage: ZeroWidth + Bidi, messageId: "m-2",
            body: Encoding.UTF8.GetBytes("plain text " + ClearScreen + Osc52)));

    [Fact]
    public async Task List_must_show_crafted_fields_as_visible_escapes_in_bounded_columns()
    {
        await ArrangeAsync();

        var result = await CliRunner.RunAsync("dead-letters", "list", "--config", _store.ConfigPath);

        Assert.Equal(0, result.ExitCode);
        AssertNothingActs(result.Output);
        Assert.Contains(@"orders\x1b[2J\x1b[H", result.Output);
        Assert.Contains(@"\u200B", result.Output);
        Assert.All(result.Output.Split('\n'), line => Assert.True(line.Length <= 320, $"a line of {line.Length} characters"));
        Assert.Contains("…(+", result.Output); // the long queue name is cut, visibly
    }

    [Fact]
    public async Task Show_must_show_every_crafted_field_header_and_body_as_visible_escapes()
    {
        var ids = await ArrangeAsync();

        var first = await CliRunner.RunAsync("dead-letters", "show", ids[0].ToString(CultureInfo.InvariantCulture), "--config", _store.ConfigPath);
        var second = await CliRunner.RunAsync("dead-letters", "show", ids[1].ToString(CultureInfo.InvariantCulture), "--config", _store.ConfigPath);

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        AssertNothingActs(first.Output);
        AssertNothingActs(second.Output);
        Assert.Contains(@"orders\u202Egnp.exe\x1b[2J\x1b[H", first.Output); // routing key
        Assert.Contains(@"x-evil\x1b[2J\x1b[H", first.Output);             // header name
        Assert.Contains(@"value\x1b]52;c;cm0gLXJmIH4=\x07", first.Output);  // header value
        Assert.Contains(@"at Evil()\r\x1b]0;you have been pwned\x07", first.Output); // error detail: a lone CR is escaped
        Assert.Contains(@"\u202Egnp.exe", first.Output);                    // the JSON body
        Assert.All(second.Output.Split('\n'), line => Assert.True(line.Length <= 1100, $"a line of {line.Length} characters"));
    }

    [Fact]
    public async Task Json_output_must_stay_byte_exact_and_machine_readable()
    {
        var ids = await ArrangeAsync();

        var show = await CliRunner.RunAsync("dead-letters", "show", ids[0].ToString(CultureInfo.InvariantCulture), "--config", _store.ConfigPath, "--json");
        var list = await CliRunner.RunAsync("dead-letters", "list", "--config", _store.ConfigPath, "--json");

        Assert.DoesNotContain('\u001b', show.Output + list.Output); // JSON escapes controls itself: \u001B
        using var json = System.Text.Json.JsonDocument.Parse(show.Output);
        Assert.Equal("orders" + ClearScreen, json.RootElement.GetProperty("queue").GetString());
        using var page = System.Text.Json.JsonDocument.Parse(list.Output);
        Assert.Equal(100_000, page.RootElement.GetProperty("items")[1].GetProperty("queue").GetString()!.Length);
    }

    /// <summary>No character that a terminal acts on: C0 controls but LF and TAB, DEL, C1, format characters (bidi, zero-width).</summary>
    private static void AssertNothingActs(string output)
    {
        for (var i = 0; i < output.Length; i++)
        {
            var c = output[i];
            var acts = (c < 0x20 && c is not '\n' and not '\t') || c is >= '\u007f' and <= '\u009f'
                       || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
            Assert.False(acts, $"U+{(int)c:X4} at {i}: ...{output[Math.Max(0, i - 30)..Math.Min(output.Length, i + 10)]}...");
        }
    }
}
