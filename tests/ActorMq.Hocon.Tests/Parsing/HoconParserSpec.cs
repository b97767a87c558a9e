using Xunit;

namespace ActorMq.Hocon.Tests.Parsing;

public sealed class HoconParserSpec
{
    private static Config Parse(string text) => ConfigFactory.ParseString(text);

    [Fact]
    public void Parser_must_accept_json_as_a_subset()
    {
        var config = Parse("""{ "a": 1, "b": [true, false, null], "c": { "d": "e\n" }, "f": -1.5e3 }""");
        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal(3, config.GetList("b").Count);
        Assert.Equal("e\n", config.GetString("c.d"));
        Assert.Equal(-1500.0, config.GetDouble("f"));
    }

    [Fact]
    public void Parser_must_allow_omitted_root_braces_equals_and_newlines_as_commas()
    {
        var config = Parse("a = 1\nb : 2\nc {\n  d = 3\n}\n");
        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal(2, config.GetInt("b"));
        Assert.Equal(3, config.GetInt("c.d"));
    }

    [Fact]
    public void Parser_must_skip_hash_and_double_slash_comments()
    {
        var config = Parse("# comment\na = 1 // trailing\n// another\nb = \"x # not a comment\"");
        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal("x # not a comment", config.GetString("b"));
    }

    [Fact]
    public void Parser_must_expand_path_keys_and_quoted_segments()
    {
        var config = Parse("a.b.c = 1\n\"x.y\".z = 2\na.\"\" = 3");
        Assert.Equal(1, config.GetInt("a.b.c"));
        Assert.Equal(2, config.GetInt("\"x.y\".z"));
        Assert.Equal(3, config.GetInt("a.\"\""));
        Assert.False(config.HasPath("x"));
    }

    [Fact]
    public void Parser_must_merge_repeated_object_keys_and_let_later_scalars_win()
    {
        var config = Parse("a { x = 1, y = 2 }\na { y = 3, z = 4 }\nb = 1\nb = 2\nc = 1\nc { d = 2 }");
        Assert.Equal(1, config.GetInt("a.x"));
        Assert.Equal(3, config.GetInt("a.y"));
        Assert.Equal(4, config.GetInt("a.z"));
        Assert.Equal(2, config.GetInt("b"));
        Assert.Equal(2, config.GetInt("c.d"));
    }

    [Fact]
    public void Parser_must_concatenate_unquoted_and_quoted_strings_keeping_inner_whitespace()
    {
        var config = Parse("a = null bar 42 \"baz\" true 3.14 hi   \nb = foo\"bar\"");
        Assert.Equal("null bar 42 baz true 3.14 hi", config.GetString("a"));
        Assert.Equal("foobar", config.GetString("b"));
    }

    [Fact]
    public void Parser_must_read_triple_quoted_strings_verbatim()
    {
        var config = Parse("a = \"\"\"line1\n  \\n \"quoted\" \"\"\"\"\nb = 1");
        Assert.Equal("line1\n  \\n \"quoted\" \"", config.GetString("a"));
        Assert.Equal(1, config.GetInt("b"));
    }

    [Fact]
    public void Parser_must_process_escapes_in_quoted_strings()
    {
        var config = Parse("a = \"tab\\tquote\\\" slash\\/ u\\u0041\"");
        Assert.Equal("tab\tquote\" slash/ uA", config.GetString("a"));
    }

    [Fact]
    public void Parser_must_concatenate_arrays_and_objects()
    {
        var config = Parse("a = [1, 2] [3]\nb = { x = 1 } { y = 2 }");
        Assert.Equal([1, 2, 3], config.GetIntList("a"));
        Assert.Equal(1, config.GetInt("b.x"));
        Assert.Equal(2, config.GetInt("b.y"));
    }

    [Fact]
    public void Parser_must_skip_a_utf8_bom()
    {
        var config = Parse("\uFEFFa = 1");
        Assert.Equal(1, config.GetInt("a"));
    }

    [Fact]
    public void Parser_must_accept_windows_line_endings()
    {
        var config = Parse("a = 1\r\nb {\r\n  c = two words\r\n}\r\nd = [1,\r\n 2]\r\n");
        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal("two words", config.GetString("b.c"));
        Assert.Equal([1, 2], config.GetIntList("d"));
    }

    [Fact]
    public void Parser_must_treat_an_empty_document_as_an_empty_object()
    {
        Assert.True(Parse("  # only a comment\n").IsEmpty);
    }

    [Fact]
    public void Parser_must_report_file_line_column_and_expectation_on_errors()
    {
        var error = Assert.Throws<ConfigParseException>(() =>
            ConfigFactory.ParseString("a = 1\nb = [1, 2\n", new ConfigParseOptions { OriginDescription = "app.conf" }));
        Assert.Equal("app.conf", error.File);
        Assert.Equal(3, error.Line);
        Assert.Contains("']'", error.Expected);
        Assert.StartsWith("app.conf:3:", error.Message);
    }

    [Theory]
    [InlineData("a = ")]
    [InlineData("a = 1,,b = 2")]
    [InlineData("{ a = 1")]
    [InlineData("a = \"unterminated")]
    [InlineData("a = \"\"\"unterminated")]
    [InlineData("a = ${b")]
    [InlineData("a.. = 1")]
    [InlineData(".a = 1")]
    [InlineData("a = \"bad \\q escape\"")]
    [InlineData("a = +1")]
    [InlineData("[1, 2]")]
    [InlineData("a 1")]
    [InlineData("a = $b")]
    public void Parser_must_reject_invalid_text_with_a_parse_exception(string text)
    {
        Assert.Throws<ConfigParseException>(() => Parse(text));
    }

    [Fact]
    public void Parser_must_reject_deep_nesting_with_a_clear_error()
    {
        var text = "a = " + new string('[', 100_000) + new string(']', 100_000);
        var error = Assert.Throws<ConfigParseException>(() => Parse(text));
        Assert.Contains("nested", error.Expected);
    }

    [Fact]
    public void Parser_must_keep_the_line_of_every_value_as_its_origin()
    {
        var config = ConfigFactory.ParseString("a = 1\n\nb {\n  c = 2\n}", new ConfigParseOptions { OriginDescription = "x.conf" });
        Assert.Equal("x.conf:1", config.GetOrigin("a").ToString());
        Assert.Equal("x.conf:4", config.GetOrigin("b.c").ToString());
    }
}
