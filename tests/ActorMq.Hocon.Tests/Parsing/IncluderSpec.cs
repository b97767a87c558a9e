using Xunit;

namespace ActorMq.Hocon.Tests.Parsing;

public sealed class IncluderSpec
{
    private static readonly ConfigResolveOptions NoEnvironment = new() { UseEnvironment = false };

    [Fact]
    public void Include_must_be_relative_to_the_including_file_recursively()
    {
        using var dir = new TempDirectory();
        dir.Write("sub/a.conf", "include \"nested/b.conf\"\na = 1");
        dir.Write("sub/nested/b.conf", "b = 2");
        var main = dir.Write("main.conf", "x { include \"sub/a.conf\" }\ny = 3");
        var config = ConfigFactory.ParseFile(main).Resolve(NoEnvironment);
        Assert.Equal(1, config.GetInt("x.a"));
        Assert.Equal(2, config.GetInt("x.b"));
        Assert.Equal(3, config.GetInt("y"));
    }

    [Fact]
    public void Include_without_extension_must_merge_conf_json_and_properties()
    {
        using var dir = new TempDirectory();
        dir.Write("part.conf", "a = conf\nonlyConf = 1");
        dir.Write("part.json", "{ \"a\": \"json\", \"onlyJson\": 2 }");
        dir.Write("part.properties", "a=props\nonlyProps=3");
        var main = dir.Write("main.conf", "include \"part\"");
        var config = ConfigFactory.ParseFile(main).Resolve(NoEnvironment);
        Assert.Equal("conf", config.GetString("a"));
        Assert.Equal(1, config.GetInt("onlyConf"));
        Assert.Equal(2, config.GetInt("onlyJson"));
        Assert.Equal("3", config.GetString("onlyProps"));
    }

    [Fact]
    public void Missing_include_must_be_ignored_and_required_one_must_fail()
    {
        using var dir = new TempDirectory();
        var main = dir.Write("main.conf", "include \"nothere.conf\"\na = 1");
        Assert.Equal(1, ConfigFactory.ParseFile(main).GetInt("a"));
        var required = dir.Write("req.conf", "include required(\"nothere.conf\")\na = 1");
        var error = Assert.Throws<ConfigIOException>(() => ConfigFactory.ParseFile(required));
        Assert.Contains("nothere.conf", error.Message);
        Assert.Contains("req.conf:1", error.Message);
    }

    [Fact]
    public void Keys_after_an_include_must_override_it_and_keys_before_must_be_overridden()
    {
        using var dir = new TempDirectory();
        dir.Write("inc.conf", "a = included\nb = included");
        var main = dir.Write("main.conf", "a = before\ninclude \"inc.conf\"\nb = after");
        var config = ConfigFactory.ParseFile(main);
        Assert.Equal("included", config.GetString("a"));
        Assert.Equal("after", config.GetString("b"));
    }

    [Fact]
    public void Include_cycles_must_be_detected()
    {
        using var dir = new TempDirectory();
        dir.Write("a.conf", "include \"b.conf\"");
        dir.Write("b.conf", "include \"a.conf\"");
        var error = Assert.Throws<ConfigCycleException>(() => ConfigFactory.ParseFile(Path.Combine(dir.Path, "a.conf")));
        Assert.Contains("a.conf", error.Message);
        Assert.Contains("b.conf", error.Message);
    }

    [Fact]
    public void Substitutions_in_an_included_file_must_look_relative_to_the_include_point_then_from_the_root()
    {
        using var dir = new TempDirectory();
        dir.Write("foo.conf", "x = 10\ny = ${x}\nz = ${top}");
        var main = dir.Write("main.conf", "top = root-value\na { include \"foo.conf\" }\na { x = 42 }");
        var config = ConfigFactory.ParseFile(main).Resolve(NoEnvironment);
        Assert.Equal(42, config.GetInt("a.y"));
        Assert.Equal("root-value", config.GetString("a.z"));
    }

    [Fact]
    public void Classpath_include_must_read_embedded_reference_conf()
    {
        var config = ConfigFactory.ParseString("include classpath(\"reference.conf\")").Resolve(NoEnvironment);
        Assert.True(config.GetObject("actormq").ContainsKey("dead-store"));
        Assert.Contains("reference.conf", config.GetObject("actormq").Origin.Description);
    }

    [Fact]
    public void Plain_include_must_fall_back_to_an_embedded_resource()
    {
        var config = ConfigFactory.ParseString("include \"reference.conf\"");
        Assert.Contains("resource reference.conf", config.GetObject("actormq").Origin.Description);
    }

    [Fact]
    public void Include_inside_an_embedded_resource_must_find_embedded_resources_only()
    {
        using var dir = new TempDirectory();
        dir.Write("actormq-hocon-tests-target.conf", "fromResource = false\nfromFile = true");
        var config = ConfigFactory.ParseString("include classpath(\"actormq-hocon-tests-with-include.conf\")", new ConfigParseOptions { BaseDirectory = dir.Path });
        Assert.Equal(1, config.GetInt("own"));
        Assert.True(config.GetBoolean("fromResource"));
        Assert.False(config.HasPath("fromFile"));
    }

    [Fact]
    public void File_include_must_use_the_base_directory_and_not_the_including_file()
    {
        using var dir = new TempDirectory();
        dir.Write("x.conf", "fromFile = yes");
        var config = ConfigFactory.ParseString("include file(\"x.conf\")", new ConfigParseOptions { BaseDirectory = dir.Path });
        Assert.True(config.GetBoolean("fromFile"));
    }

    [Fact]
    public void Include_resolver_option_must_supply_included_text()
    {
        var options = new ConfigParseOptions { IncludeResolver = name => name == "virtual.conf" ? "v = 7" : null };
        Assert.Equal(7, ConfigFactory.ParseString("include \"virtual.conf\"", options).GetInt("v"));
    }

    [Fact]
    public void Url_include_must_accept_file_urls_only()
    {
        using var dir = new TempDirectory();
        var target = dir.Write("u.conf", "fromUrl = 1");
        var config = ConfigFactory.ParseString($"include url(\"{new Uri(target).AbsoluteUri}\")");
        Assert.Equal(1, config.GetInt("fromUrl"));
        Assert.Throws<ConfigIOException>(() => ConfigFactory.ParseString("include url(\"https://example.org/x.conf\")"));
    }

    [Theory]
    [InlineData("include \"a\u0000b\"")]
    [InlineData("include file(\"a\u0000b\")")]
    [InlineData("include url(\"file:///a%00b\")")]
    public void Include_of_an_impossible_path_must_be_a_config_exception(string text)
    {
        Assert.Throws<ConfigIOException>(() => ConfigFactory.ParseString(text));
    }

    [Fact]
    public void Include_inside_a_list_must_be_rejected()
    {
        Assert.Throws<ConfigParseException>(() => ConfigFactory.ParseString("a = [ { include \"x.conf\" } ]"));
    }

    [Fact]
    public void Malformed_include_must_be_a_parse_error()
    {
        Assert.Throws<ConfigParseException>(() => ConfigFactory.ParseString("include file(x.conf)"));
        Assert.Throws<ConfigParseException>(() => ConfigFactory.ParseString("include file(\"x.conf\""));
        Assert.Throws<ConfigParseException>(() => ConfigFactory.ParseString("include = 5"));
    }

    [Fact]
    public void ParseFile_of_a_basename_must_merge_the_existing_formats()
    {
        using var dir = new TempDirectory();
        dir.Write("app.conf", "a = 1");
        dir.Write("app.properties", "b = 2");
        var config = ConfigFactory.ParseFile(Path.Combine(dir.Path, "app"));
        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal(2, config.GetInt("b"));
    }
}
