using Xunit;

namespace ActorMq.Hocon.Tests.Resolution;

public sealed class ResolverSpec
{
    private static readonly ConfigResolveOptions NoEnvironment = new() { UseEnvironment = false };

    private static Config Resolve(string text) => ConfigFactory.ParseString(text).Resolve(NoEnvironment);

    [Fact]
    public void Substitutions_must_take_the_final_value_of_their_path()
    {
        var config = Resolve("a = ${b.c}\nb.c = 1\nb.c = 2\nd = ${b}");
        Assert.Equal(2, config.GetInt("a"));
        Assert.Equal(2, config.GetInt("d.c"));
    }

    [Fact]
    public void Substitutions_must_concatenate_with_strings()
    {
        var config = Resolve("host = example.org\nurl = \"http://\"${host}\":8080/\"");
        Assert.Equal("http://example.org:8080/", config.GetString("url"));
    }

    [Fact]
    public void Optional_substitution_of_a_missing_path_must_remove_the_field()
    {
        var config = Resolve("a = ${?missing}\nb = [1, ${?missing}, 2]\nc = 1\nc = ${?missing}");
        Assert.False(config.HasPath("a"));
        Assert.Equal([1, 2], config.GetIntList("b"));
        Assert.Equal(1, config.GetInt("c"));
    }

    [Fact]
    public void Missing_substitution_must_name_the_substitution_and_its_origin()
    {
        var error = Assert.Throws<ConfigUnresolvedSubstitutionException>(() =>
            ConfigFactory.ParseString("a = 1\nb = ${nope.x}", new ConfigParseOptions { OriginDescription = "app.conf" }).Resolve(NoEnvironment));
        Assert.Equal("${nope.x}", error.Substitution);
        Assert.Equal("app.conf:2", error.Origin.ToString());
        Assert.Contains("app.conf:2", error.Message);
    }

    [Fact]
    public void Self_referential_substitution_must_see_the_previous_value()
    {
        var config = Resolve("path = \"a:b\"\npath = ${path}\":c\"\nlist = [1]\nlist = ${list} [2]\nobj { x = 1 }\nobj = ${obj} { y = 2 }");
        Assert.Equal("a:b:c", config.GetString("path"));
        Assert.Equal([1, 2], config.GetIntList("list"));
        Assert.Equal(1, config.GetInt("obj.x"));
        Assert.Equal(2, config.GetInt("obj.y"));
    }

    [Fact]
    public void Plus_equals_must_append_to_a_previous_list_or_start_one()
    {
        var config = Resolve("a = [1]\na += 2\nb += x\nb += y\nc { d += 1 }");
        Assert.Equal([1, 2], config.GetIntList("a"));
        Assert.Equal(["x", "y"], config.GetStringList("b"));
        Assert.Equal([1], config.GetIntList("c.d"));
    }

    [Fact]
    public void Self_reference_without_a_previous_value_must_fail_unless_optional()
    {
        Assert.ThrowsAny<ConfigException>(() => Resolve("a = ${a}"));
        Assert.False(Resolve("a = ${?a}").HasPath("a"));
    }

    [Fact]
    public void Substitution_cycles_must_be_reported()
    {
        var error = Assert.ThrowsAny<ConfigException>(() => Resolve("a = ${b}\nb = ${c}\nc = ${a}"));
        Assert.True(error is ConfigCycleException or ConfigUnresolvedSubstitutionException, error.GetType().Name);
        Assert.Throws<ConfigCycleException>(() => Resolve("a { b = ${a} }"));
    }

    [Fact]
    public void Indirect_self_reference_must_look_backward()
    {
        var config = Resolve("a = 1\na = ${b}\nb = ${a}");
        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal(1, config.GetInt("b"));
    }

    [Fact]
    public void Environment_variables_must_be_a_switchable_fallback()
    {
        var name = "ACTORMQ_HOCON_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-env");
        try
        {
            var parsed = ConfigFactory.ParseString($"a = ${{{name}}}\nb = ${{?{name}}}");
            Assert.Equal("from-env", parsed.Resolve().GetString("a"));
            Assert.Throws<ConfigUnresolvedSubstitutionException>(() => parsed.Resolve(NoEnvironment));
            var optional = ConfigFactory.ParseString($"b = ${{?{name}}}").Resolve(NoEnvironment);
            Assert.False(optional.HasPath("b"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Configuration_values_must_win_over_environment_variables()
    {
        var name = "ACTORMQ_HOCON_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-env");
        try
        {
            Assert.Equal("from-config", ConfigFactory.ParseString($"{name} = from-config\na = ${{{name}}}").Resolve().GetString("a"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void AllowUnresolved_must_leave_missing_substitutions_in_place()
    {
        var config = ConfigFactory.ParseString("a = ${missing}\nb = 1").Resolve(new ConfigResolveOptions { UseEnvironment = false, AllowUnresolved = true });
        Assert.False(config.IsResolved);
        Assert.Equal(1, config.WithFallback(ConfigFactory.ParseString("missing = 2")).Resolve(NoEnvironment).GetInt("b"));
        Assert.Equal(2, config.WithFallback(ConfigFactory.ParseString("missing = 2")).Resolve(NoEnvironment).GetInt("a"));
    }

    [Fact]
    public void Plus_equals_inside_an_object_merged_over_a_substitution_must_extend_the_substituted_list()
    {
        var config = Resolve("base { list = [0] }\nmerged : ${base}\nmerged { list += 1, list += 2 }");
        Assert.Equal([0, 1, 2], config.GetIntList("merged.list"));
        Assert.Equal([0], config.GetIntList("base.list"));
    }

    [Fact]
    public void A_field_of_a_pending_merge_must_be_readable_while_the_merge_resolves()
    {
        var config = Resolve("proto { a = 1 }\none = ${proto}\none.c = ${two.d}\ntwo = ${proto}\ntwo.d = ${one.a}");
        Assert.Equal(1, config.GetInt("one.c"));
        Assert.Equal(1, config.GetInt("two.d"));
        Assert.Equal(1, config.GetInt("two.a"));
    }

    [Fact]
    public void A_substitution_in_a_merge_that_cycles_back_must_see_the_values_below_it()
    {
        var config = Resolve("defaults { a = ${item.b}, b = 2 }\nitem.b = 7\nitem = ${defaults}");
        Assert.Equal(7, config.GetInt("defaults.a"));
        Assert.Equal(7, config.GetInt("item.a"));
        Assert.Equal(2, config.GetInt("item.b"));
    }

    [Fact]
    public void Concatenating_a_list_with_a_numerically_keyed_object_must_convert_the_object()
    {
        var config = Resolve("b { \"1\" = z, \"0\" = y, name = ignored }\na = [x] ${b}");
        Assert.Equal(["x", "y", "z"], config.GetStringList("a"));
    }

    [Fact]
    public void Concatenating_a_list_with_a_string_must_fail()
    {
        Assert.ThrowsAny<ConfigException>(() => Resolve("a = [1] ${b}\nb = x"));
        Assert.ThrowsAny<ConfigException>(() => Resolve("a = { x = 1 } ${b}\nb = [1]"));
    }
}
