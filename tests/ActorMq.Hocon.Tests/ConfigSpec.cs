using Xunit;

namespace ActorMq.Hocon.Tests;

public sealed class ConfigSpec
{
    private static Config Parse(string text) =>
        ConfigFactory.ParseString(text, new ConfigParseOptions { OriginDescription = "test.conf" }).Resolve(new ConfigResolveOptions { UseEnvironment = false });

    [Fact]
    public void WithFallback_must_merge_objects_and_let_the_receiver_win()
    {
        var app = ConfigFactory.ParseString("a { x = 1 }\nb = app");
        var reference = ConfigFactory.ParseString("a { x = 0, y = 2 }\nb = ref\nc = ${a.x}");
        var config = app.WithFallback(reference).Resolve();
        Assert.Equal(1, config.GetInt("a.x"));
        Assert.Equal(2, config.GetInt("a.y"));
        Assert.Equal("app", config.GetString("b"));
        Assert.Equal(1, config.GetInt("c"));
    }

    [Fact]
    public void WithFallback_must_let_a_self_reference_extend_the_fallback_value()
    {
        var app = ConfigFactory.ParseString("list = ${list} [b]");
        var reference = ConfigFactory.ParseString("list = [a]");
        Assert.Equal(["a", "b"], app.WithFallback(reference).Resolve().GetStringList("list"));
    }

    [Fact]
    public void GetConfig_must_return_the_subtree_or_an_empty_config()
    {
        var config = Parse("a { b { c = 1 } }");
        Assert.Equal(1, config.GetConfig("a.b").GetInt("c"));
        Assert.True(config.GetConfig("missing.path").IsEmpty);
        Assert.Equal(["b"], config.GetConfig("a").Keys);
    }

    [Fact]
    public void HasPath_must_be_false_for_missing_and_null_values()
    {
        var config = Parse("a = 1\nb = null");
        Assert.True(config.HasPath("a"));
        Assert.False(config.HasPath("b"));
        Assert.False(config.HasPath("c"));
    }

    [Fact]
    public void Getters_must_convert_between_numbers_strings_and_booleans()
    {
        var config = Parse("n = 42\ns = \"43\"\nd = .33\nt = yes\nf = off\nb = true\nbig = 5000000000");
        Assert.Equal("42", config.GetString("n"));
        Assert.Equal(43, config.GetInt("s"));
        Assert.Equal(0.33, config.GetDouble("d"));
        Assert.True(config.GetBoolean("t"));
        Assert.False(config.GetBoolean("f"));
        Assert.Equal("true", config.GetString("b"));
        Assert.Equal(5_000_000_000L, config.GetLong("big"));
        Assert.Throws<ConfigBadValueException>(() => config.GetInt("big"));
    }

    [Fact]
    public void Missing_path_must_throw_a_missing_exception_naming_the_path()
    {
        var error = Assert.Throws<ConfigMissingException>(() => Parse("a = 1").GetConfig("x").GetString("a.b.c"));
        Assert.Contains("a.b.c", error.Message);
    }

    [Fact]
    public void Wrong_type_must_name_path_expected_type_and_origin()
    {
        var config = Parse("a = 1\nobj { x = 1 }");
        var error = Assert.Throws<ConfigWrongTypeException>(() => config.GetString("obj"));
        Assert.Equal("obj", error.Path);
        Assert.Equal("string", error.ExpectedType);
        Assert.Equal("test.conf:2", error.Origin.ToString());
        Assert.Contains("test.conf:2", error.Message);
        Assert.Throws<ConfigWrongTypeException>(() => config.GetBoolean("a"));
        Assert.Throws<ConfigWrongTypeException>(() => config.GetInt("obj"));
    }

    [Fact]
    public void Null_value_must_throw_a_missing_exception_from_getters()
    {
        var error = Assert.Throws<ConfigMissingException>(() => Parse("a = null").GetInt("a"));
        Assert.Contains("null", error.Message);
    }

    [Fact]
    public void Bad_path_expressions_must_throw_a_bad_path_exception()
    {
        var config = Parse("a = 1");
        Assert.Throws<ConfigBadPathException>(() => config.GetInt(".a"));
        Assert.Throws<ConfigBadPathException>(() => config.GetInt("a."));
        Assert.Throws<ConfigBadPathException>(() => config.GetInt("a..b"));
        Assert.Throws<ConfigBadPathException>(() => config.GetInt(""));
    }

    [Fact]
    public void List_getters_must_convert_each_element()
    {
        var config = Parse("s = [a, 1, true]\nd = [1s, 2 seconds, 3000]\nb = [1K, 1kB, 10]\no = [{ x = 1 }, { x = 2 }]\nn { \"1\" = b, \"0\" = a, x = c }");
        Assert.Equal(["a", "1", "true"], config.GetStringList("s"));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)], config.GetTimeSpanList("d"));
        Assert.Equal([1024L, 1000L, 10L], config.GetBytesList("b"));
        Assert.Equal([1, 2], config.GetConfigList("o").Select(c => c.GetInt("x")));
        Assert.Equal(["a", "b"], config.GetStringList("n"));
        var error = Assert.Throws<ConfigWrongTypeException>(() => config.GetIntList("s"));
        Assert.Equal("s[0]", error.Path);
    }

    [Fact]
    public void Getters_on_an_unresolved_config_must_resolve_it_first()
    {
        var config = ConfigFactory.ParseString("a = 1\nb = ${a}");
        Assert.False(config.IsResolved);
        Assert.Equal(1, config.GetInt("b"));
    }

    [Fact]
    public void GetObject_must_expose_a_read_only_value_model_with_origins()
    {
        var config = Parse("a {\n  b = [1, x]\n  c = null\n}");
        var obj = config.GetObject("a");
        Assert.Equal(ConfigValueType.Object, obj.ValueType);
        var list = Assert.IsType<ConfigList>(obj["b"]);
        Assert.Equal(ConfigValueType.Number, list[0].ValueType);
        Assert.Equal("x", ((ConfigPrimitive)list[1]).Text);
        Assert.Equal(ConfigValueType.Null, obj["c"].ValueType);
        Assert.Equal(2, obj["b"].Origin.Line);
    }
}
