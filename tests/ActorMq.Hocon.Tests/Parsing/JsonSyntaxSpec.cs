using Xunit;

namespace ActorMq.Hocon.Tests.Parsing;

public sealed class JsonSyntaxSpec
{
    private static Config Json(string text) => ConfigFactory.ParseString(text, new ConfigParseOptions { Syntax = ConfigSyntax.Json });

    [Fact]
    public void Json_syntax_must_parse_plain_json()
    {
        var config = Json("{\n  \"a\": { \"b\": [1, 2.5, \"x\", null, true] },\n  \"c.d\": 1\n}");
        Assert.Equal(5, config.GetList("a.b").Count);
        Assert.Equal(1, config.GetInt("\"c.d\""));
    }

    [Theory]
    [InlineData("{ a: 1 }")]
    [InlineData("{ \"a\": 1, }")]
    [InlineData("{ \"a\" = 1 }")]
    [InlineData("{ \"a\": 1 # comment\n }")]
    [InlineData("{ \"a\": unquoted }")]
    [InlineData("{ \"a\": ${b} }")]
    [InlineData("{ \"a\": 1\n \"b\": 2 }")]
    [InlineData("{ \"a\": [1, 2,] }")]
    [InlineData("\"a\": 1")]
    public void Json_syntax_must_reject_hocon_extensions(string text)
    {
        Assert.Throws<ConfigParseException>(() => Json(text));
    }

    [Fact]
    public void ParseFile_must_pick_json_syntax_from_the_extension()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("x.json", "{ \"a\": 1 }");
        Assert.Equal(1, ConfigFactory.ParseFile(path).GetInt("a"));
        var bad = dir.Write("y.json", "{ a: 1 }");
        Assert.Throws<ConfigParseException>(() => ConfigFactory.ParseFile(bad));
    }

    [Fact]
    public void A_json_document_must_parse_identically_as_hocon()
    {
        const string text = "{ \"a\": { \"b\": [1, 2] }, \"s\": \"x\\ny\", \"n\": -0.5e2 }";
        Assert.Equal(Json(text).ToJson(), ConfigFactory.ParseString(text).ToJson());
    }
}
