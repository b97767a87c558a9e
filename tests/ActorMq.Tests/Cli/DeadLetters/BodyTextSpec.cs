using System.Text;
using ActorMq.Cli.DeadLetters;
using Xunit;

namespace ActorMq.Tests.Cli.DeadLetters;

public sealed class BodyTextSpec
{
    [Fact]
    public void A_JSON_body_must_be_shown_indented()
    {
        var text = BodyText.Render(Encoding.UTF8.GetBytes("""{"orderId":"o-1","lines":[1,2]}"""), full: false);

        Assert.Equal("{\n  \"orderId\": \"o-1\",\n  \"lines\": [\n    1,\n    2\n  ]\n}\n", text);
    }

    [Fact]
    public void A_body_that_is_not_JSON_must_be_hex_dumped_with_its_printable_characters()
    {
        var text = BodyText.Render(new byte[] { 0x00, 0x41, 0x42, 0xff, (byte)'{', 0x0a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d }, full: false);

        Assert.Equal(
            "00000000  00 41 42 ff 7b 0a 43 44  45 46 47 48 49 4a 4b 4c  |.AB.{.CDEFGHIJKL|\n" +
            "00000010  4d                                                |M|\n", text);
    }

    [Fact]
    public void A_big_binary_body_must_be_cut_with_a_note_unless_full()
    {
        var body = new byte[BodyText.MaxHexBytes * 2];
        body[0] = 0xff;

        var cut = BodyText.Render(body, full: false);
        var full = BodyText.Render(body, full: true);

        Assert.Equal(BodyText.MaxHexBytes / 16 + 1, cut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.EndsWith($"… body cut: showing {BodyText.MaxHexBytes} of {body.Length} bytes; use --full to see all\n", cut);
        Assert.Equal(body.Length / 16, full.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void A_long_JSON_body_must_be_cut_by_lines_with_a_note_unless_full()
    {
        var json = "[" + string.Join(",", Enumerable.Range(0, 500)) + "]";

        var cut = BodyText.Render(Encoding.UTF8.GetBytes(json), full: false);

        Assert.Equal(BodyText.MaxJsonLines + 1, cut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Matches($@"… body cut: showing {BodyText.MaxJsonLines} of 502 lines \(\d+ of \d+ characters\); use --full to see all\n$", cut);
        Assert.Equal(502, BodyText.Render(Encoding.UTF8.GetBytes(json), full: true).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void An_empty_body_must_say_so()
    {
        Assert.Equal("(empty)\n", BodyText.Render(ReadOnlyMemory<byte>.Empty, full: false));
    }

    [Fact]
    public void A_one_line_JSON_body_must_be_cut_by_size_saying_how_much_was_cut()
    {
        var json = "[\"" + new string('x', 100_000) + "\"]";

        var cut = BodyText.Render(Encoding.UTF8.GetBytes(json), full: false);

        Assert.True(cut.Length < BodyText.MaxJsonChars + 200, $"{cut.Length} characters shown");
        Assert.Matches(@"… body cut: showing 2 of 3 lines \(\d+ of 100008 characters\); use --full to see all\n$", cut);
        Assert.Contains(new string('x', 100_000), BodyText.Render(Encoding.UTF8.GetBytes(json), full: true));
    }

    [Fact]
    public void A_body_of_50_MB_on_one_line_must_not_be_parsed_or_printed_whole()
    {
        var body = new byte[50 * 1024 * 1024];
        Array.Fill(body, (byte)'7');

        var cut = BodyText.Render(body, full: false);

        Assert.True(cut.Length < 4000, $"{cut.Length} characters shown");
        Assert.EndsWith($"… body cut: showing {BodyText.MaxHexBytes} of {body.Length} bytes; use --full to see all\n", cut);
    }

    [Fact]
    public void A_JSON_body_must_show_controls_bidi_and_zero_width_characters_as_escapes()
    {
        var text = BodyText.Render(Encoding.UTF8.GetBytes("{\"name\":\"orders\u202Egnp.exe\u200B\",\"esc\":\"\\u001b]52;c;SGVsbG8=\\u0007\"}"), full: false);

        Assert.DoesNotContain('\u202E', text);
        Assert.DoesNotContain('\u200B', text);
        Assert.DoesNotContain('\u001b', text);
        Assert.Contains(@"orders\u202Egnp.exe\u200B", text);
    }
}
