using System.Text;
using ActorMq.DeadStore;
using Xunit;
using static ActorMq.Tests.DeadStore.DeadLetterSamples;

namespace ActorMq.Tests.DeadStore;

public sealed class DeadLetterSearchSpec
{
    [Fact]
    public void A_rows_words_are_its_ids_type_error_headers_and_text_body_lower_cased_in_that_order()
    {
        var letter = Letter(errorType: "Shop.StockException", errorMessage: "Stock for SKU-1138 is gone", messageId: "Ord-7",
                body: Encoding.UTF8.GetBytes("""{"customer":"Zoë","qty":2}"""),
                headers: new Dictionary<string, object?> { ["Tenant"] = "North", ["n"] = 42L, ["ids"] = new List<object?> { "a-1", 7 } })
            with { Properties = new DeadLetterProperties { CorrelationId = "corr-9", Type = "OrderCreated" } };

        Assert.Equal("ord 7 corr 9 ordercreated shop stockexception stock for sku 1138 is gone tenant north n 42 ids a 1 7 customer zoë qty 2",
            DeadLetterSearch.IndexText(letter));
    }

    [Fact]
    public void A_body_that_is_not_UTF8_has_no_words_and_a_character_cut_at_the_limit_is_left_out()
    {
        Assert.Equal("", Words(Body([0xFF, 0x61, 0x62])));
        // 64 KiB of 'a' but the last byte starts a two-byte 'é' that the limit cuts: the body's words end before it.
        var body = new byte[DeadLetterSearch.MaxBodyBytes + 1];
        body.AsSpan().Fill((byte)' ');
        "word"u8.CopyTo(body);
        body[^2] = 0xC3;
        body[^1] = 0xA9;
        Assert.Equal("word", Words(Body(body)));
    }

    [Fact]
    public void A_long_word_is_cut_whole_characters_only_and_a_row_keeps_at_most_the_limit_of_words()
    {
        var emoji = "\U0001D400"; // MATHEMATICAL BOLD CAPITAL A: a letter outside the BMP, two UTF-16 units
        var word = new string('x', DeadLetterSearch.MaxWordLength - 1) + emoji;
        var cut = Words(Body(Encoding.UTF8.GetBytes(word)));
        Assert.Equal(new string('x', DeadLetterSearch.MaxWordLength - 1), cut);
        Assert.DoesNotContain(cut, char.IsSurrogate);
        Assert.Equal(DeadLetterSearch.MaxWordLength, Words(Body(Encoding.UTF8.GetBytes(new string('y', 500)))).Length);

        var many = string.Join(' ', Enumerable.Range(0, DeadLetterSearch.MaxWords + 50).Select(i => "w"));
        Assert.Equal(DeadLetterSearch.MaxWords, Words(Body(Encoding.UTF8.GetBytes(many))).Split(' ').Length);
    }

    [Theory]
    [InlineData("Order #42, timed-out", new[] { "order", "42", "timed", "out" })]
    [InlineData("  ZOË  ", new[] { "zoë" })]
    public void A_search_is_split_into_the_same_words(string text, string[] words)
    {
        Assert.Equal(words, DeadLetterSearch.SearchWords(text));
        Assert.Null(DeadLetterSearch.Refusal(text));
    }

    [Fact]
    public void A_search_without_words_or_with_too_many_is_refused_naming_the_text()
    {
        Assert.Equal("'#!' holds no letter or digit to search for", DeadLetterSearch.Refusal("#!"));
        var tooMany = string.Join(' ', Enumerable.Range(0, DeadLetterSearch.MaxSearchWords + 1).Select(i => "w"));
        Assert.Contains($"holds {DeadLetterSearch.MaxSearchWords + 1} words; at most {DeadLetterSearch.MaxSearchWords} are searched for",
            DeadLetterSearch.Refusal(tooMany));
        Assert.Equal("search: '#!' holds no letter or digit to search for", Assert.Throws<ArgumentException>(() => DeadLetterSearch.SearchWords("#!")).Message);
    }

    [Fact]
    public void The_queries_are_one_phrase_whose_last_word_is_a_prefix()
    {
        Assert.Equal("\"order 42 tim\"*", DeadLetterSearch.Fts5Query(["order", "42", "tim"]));
        Assert.Equal("'order' <-> '42' <-> 'tim':*", DeadLetterSearch.TsQuery(["order", "42", "tim"]));
    }

    private static DeadLetter Body(byte[] body) => new()
    {
        Queue = "q", ErrorType = "", ErrorMessage = "", Body = body, Headers = DeadLetterJson.NoHeaders,
    };

    private static string Words(DeadLetter letter) => DeadLetterSearch.IndexText(letter);
}
