using System.Text.Json;
using Xunit;

namespace ActorMq.Hocon.Tests.Rendering;

public sealed class RenderingSpec
{
    private const string Sample = """
        a { b = 1, c = [1, 2.5, "x y", null, true], "d.e" = "quote \" and \\ and \n newline" }
        "" = empty-key
        include-like { "include" = "not an include" }
        weird { "key with spaces" = 1, "$dollar" = 2, "true" = 3, "bom\uFEFF" = 4, "caf\u00e9" = 5, "-" = 6, "12" = 7 }
        n = -12.5e3
        empty {}
        emptyList = []
        """;

    [Fact]
    public void ToJson_must_render_the_resolved_tree_as_json()
    {
        var config = ConfigFactory.ParseString("a { b = ${x} }\nx = [1, \"s\"]");
        using var json = JsonDocument.Parse(config.Resolve().ToJson());
        Assert.Equal(JsonValueKind.Array, json.RootElement.GetProperty("a").GetProperty("b").ValueKind);
        Assert.Equal("s", json.RootElement.GetProperty("x")[1].GetString());
    }

    [Fact]
    public void ToHocon_must_parse_back_to_the_same_value()
    {
        var config = ConfigFactory.ParseString(Sample).Resolve();
        var rendered = config.ToHocon();
        var reparsed = ConfigFactory.ParseString(rendered).Resolve();
        Assert.Equal(config.ToJson(), reparsed.ToJson());
    }

    [Fact]
    public void ToHocon_with_origins_must_comment_each_field_with_file_and_line_and_still_parse()
    {
        var config = ConfigFactory.ParseString("a = 1\nb {\n  c = 2\n}", new ConfigParseOptions { OriginDescription = "app.conf" });
        var rendered = config.ToHocon(includeOrigins: true);
        Assert.Contains("# app.conf:1", rendered);
        Assert.Contains("# app.conf:3", rendered);
        Assert.Equal(config.ToJson(), ConfigFactory.ParseString(rendered).ToJson());
    }

    [Fact]
    public void Entries_must_list_every_leaf_with_its_path_and_origin()
    {
        var config = ConfigFactory.ParseString("a.b = 1\nx { \"y.z\" = 2 }", new ConfigParseOptions { OriginDescription = "f.conf" });
        var entries = config.Entries().ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal(["a.b", "x.\"y.z\""], entries.Keys);
        Assert.Equal("f.conf:2", entries["x.\"y.z\""].Origin.ToString());
    }

    [Fact]
    public void Rendering_an_unresolved_value_must_fail_clearly()
    {
        var config = ConfigFactory.ParseString("a = ${missing}").Resolve(new ConfigResolveOptions { UseEnvironment = false, AllowUnresolved = true });
        Assert.Throws<ConfigNotResolvedException>(() => config.Root.ToJson());
    }
}
