using Xunit;

namespace ActorMq.Hocon.Tests.Parsing;

public sealed class PropertiesParserSpec
{
    private static Config Parse(string text) => ConfigFactory.ParseString(text, new ConfigParseOptions { Syntax = ConfigSyntax.Properties });

    [Fact]
    public void Properties_must_split_keys_on_dots_and_keep_values_as_strings()
    {
        var config = Parse("# comment\n! also comment\na.b.c = 1\na.d: true\nplain value with spaces\n");
        Assert.Equal(ConfigValueType.String, config.GetValue("a.b.c").ValueType);
        Assert.Equal(1, config.GetInt("a.b.c"));
        Assert.True(config.GetBoolean("a.d"));
        Assert.Equal("value with spaces", config.GetString("plain"));
    }

    [Fact]
    public void Properties_must_let_an_object_win_over_a_value_at_the_same_path()
    {
        var config = Parse("a = 1\na.b = 2\nc.d = 3\nc = 4");
        Assert.Equal("2", config.GetString("a.b"));
        Assert.Equal("3", config.GetString("c.d"));
    }

    [Fact]
    public void Properties_must_join_continuation_lines_and_unescape()
    {
        var config = Parse("long = one \\\n    two\nesc = tab\\there\\u0041");
        Assert.Equal("one two", config.GetString("long"));
        Assert.Equal("tab\thereA", config.GetString("esc"));
    }

    [Fact]
    public void ParseFile_must_pick_properties_syntax_from_the_extension()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("x.properties", "a.b = hello world");
        Assert.Equal("hello world", ConfigFactory.ParseFile(path).GetString("a.b"));
    }
}
