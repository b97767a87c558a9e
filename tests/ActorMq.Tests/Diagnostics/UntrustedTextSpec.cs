using ActorMq.Diagnostics;
using Xunit;

namespace ActorMq.Tests.Diagnostics;

public sealed class UntrustedTextSpec
{
    [Theory]
    [InlineData("\u001b[2J\u001b[H", @"\x1b[2J\x1b[H")]                                  // clear screen
    [InlineData("\u001b]52;c;ZXZpbA==\u0007", @"\x1b]52;c;ZXZpbA==\x07")]               // OSC 52 clipboard write
    [InlineData("\u001b]0;owned\u001b\\", @"\x1b]0;owned\x1b\")]                         // OSC 0 window title
    [InlineData("\u001b]8;;https://evil.test\u0007x\u001b]8;;\u0007", @"\x1b]8;;https://evil.test\x07x\x1b]8;;\x07")] // OSC 8 link
    [InlineData("a\u009b31mb", @"a\x9b31mb")]                                             // C1 CSI
    [InlineData("del\u007f", @"del\x7f")]
    [InlineData("nul\0", @"nul\x00")]
    [InlineData("x\r\nAdmin purge by alice", @"x\r\nAdmin purge by alice")]           // a forged log line
    [InlineData("tab\there", @"tab\there")]
    [InlineData("nel\u0085", @"nel\x85")]
    public void OneLine_must_show_controls_as_escapes(string text, string expected) =>
        Assert.Equal(expected, UntrustedText.OneLine(text));

    [Theory]
    [InlineData("orders\u202Egnp.exe", @"orders\u202Egnp.exe")]
    [InlineData("\u202A\u202B\u202C\u202D", @"\u202A\u202B\u202C\u202D")]
    [InlineData("\u2066\u2067\u2068\u2069", @"\u2066\u2067\u2068\u2069")]
    [InlineData("\u200E\u200F\u061C", @"\u200E\u200F\u061C")]
    [InlineData("a\u200Bb\u200Cc\u200Dd\u2060e\uFEFF", @"a\u200Bb\u200Cc\u200Dd\u2060e\uFEFF")]
    [InlineData("line\u2028sep\u2029", @"line\u2028sep\u2029")]
    [InlineData("soft\u00ADhyphen", @"soft\u00ADhyphen")]
    [InlineData("tag\U000E0041\U000E0042", @"tag\u{E0041}\u{E0042}")]                     // invisible "tag" letters
    public void OneLine_must_show_bidi_and_invisible_characters_as_escapes(string text, string expected) =>
        Assert.Equal(expected, UntrustedText.OneLine(text));

    [Fact]
    public void OneLine_must_show_lone_surrogates_and_keep_pairs()
    {
        Assert.Equal(@"a\uD800b", UntrustedText.OneLine("a\uD800b"));
        Assert.Equal(@"\uDC00", UntrustedText.OneLine("\uDC00"));
        Assert.Equal(@"x\uD83D", UntrustedText.OneLine("x\uD83D"));
        Assert.Equal("emoji \U0001F600 ok", UntrustedText.OneLine("emoji \U0001F600 ok"));
    }

    [Theory]
    [InlineData("orders.created")]
    [InlineData("Bestellung für Müller — ok")]
    [InlineData("日本語のキュー")]
    [InlineData("مرحبا")]
    [InlineData(@"C:\path\x1b and \u202E literally")]
    [InlineData("")]
    public void OneLine_must_keep_ordinary_text_as_it_is(string text) => Assert.Same(text, UntrustedText.OneLine(text));

    [Fact]
    public void OneLine_must_give_empty_text_for_null() => Assert.Equal("", UntrustedText.OneLine(null));

    [Fact]
    public void MultiLine_must_keep_line_breaks_and_tabs_but_not_a_lone_carriage_return()
    {
        Assert.Equal("at A()\n\tat B()\r\nend", UntrustedText.MultiLine("at A()\n\tat B()\r\nend"));
        Assert.Equal(@"paid\rrefunded", UntrustedText.MultiLine("paid\rrefunded"));
        Assert.Equal("a\n\\x1b[2Jb\\u202E", UntrustedText.MultiLine("a\n\u001b[2Jb\u202E"));
        Assert.Equal(@"trailing\r", UntrustedText.MultiLine("trailing\r"));
    }

    [Fact]
    public void A_long_value_must_be_cut_with_a_visible_marker_and_the_count_left_out()
    {
        var name = new string('q', 100_000);
        var cut = UntrustedText.OneLine(name, 40);
        Assert.True(cut.Length <= 40, cut);
        Assert.Equal(new string('q', 24) + "…(+99976 chars)", cut);
    }

    [Fact]
    public void A_value_that_fits_must_not_be_cut()
    {
        Assert.Equal(new string('q', 40), UntrustedText.OneLine(new string('q', 40), 40));
        // Escapes count: 36 characters plus one ESC (4 characters) fit 40 exactly.
        var text = new string('q', 36) + "\u001b";
        Assert.Equal(new string('q', 36) + @"\x1b", UntrustedText.OneLine(text, 40));
    }

    [Fact]
    public void A_cut_must_not_split_an_escape_or_a_surrogate_pair()
    {
        for (var limit = 1; limit <= 60; limit++)
        {
            var cut = UntrustedText.OneLine(new string('\u001b', 30) + new string('\u202E', 30), limit);
            Assert.True(cut.Length <= limit, $"limit {limit}: {cut}");
            var shown = cut[..cut.IndexOf('…', StringComparison.Ordinal)];
            Assert.Matches(@"^(\\x1b|\\u202E)*$", shown);

            var emoji = UntrustedText.OneLine(string.Concat(Enumerable.Repeat("\U0001F600", 40)), limit);
            Assert.True(emoji.Length <= limit);
            var emojiShown = emoji[..emoji.IndexOf('…', StringComparison.Ordinal)];
            Assert.Matches("^(\uD83D\uDE00)*$", emojiShown);
        }
    }

    [Fact]
    public void A_tiny_limit_must_still_show_that_the_value_was_cut()
    {
        Assert.Equal("…", UntrustedText.OneLine("abc", 1));
        Assert.Equal("ab…", UntrustedText.OneLine("abcdef", 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => UntrustedText.OneLine("abc", 0));
    }

    [Fact]
    public void Cutting_a_huge_value_must_not_examine_all_of_it()
    {
        // 50 million escapes would render to 200 million characters; the cut shows 200 of them.
        var body = new string('\u001b', 50_000_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var cut = UntrustedText.OneLine(body, 200);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(cut.Length, 190, 200);
        Assert.EndsWith("…(+49999955 chars)", cut);
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated to cut a 50M-character value to 200");
    }

    [Fact]
    public void HasUnsafeCharacters_must_tell_whether_anything_would_be_escaped()
    {
        Assert.False(UntrustedText.HasUnsafeCharacters("orders.created"));
        Assert.False(UntrustedText.HasUnsafeCharacters(null));
        Assert.True(UntrustedText.HasUnsafeCharacters("orders\u202Egnp.exe"));
        Assert.True(UntrustedText.HasUnsafeCharacters("x\n"));
        Assert.True(UntrustedText.HasUnsafeCharacters("\uD800"));
    }
}
