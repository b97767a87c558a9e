using Xunit;

namespace ActorMq.Hocon.Tests;

public sealed class ConfigFactorySpec
{
    [Fact]
    public void DefaultReference_must_contain_the_embedded_actormq_reference()
    {
        var reference = ConfigFactory.DefaultReference();
        Assert.True(reference.IsResolved);
        Assert.True(reference.GetObject("actormq").ContainsKey("connection"));
        Assert.Contains("reference.conf", reference.GetObject("actormq").Origin.Description);
        Assert.Same(reference, ConfigFactory.DefaultReference());
    }

    [Fact]
    public void DefaultReference_must_merge_every_assemblys_reference_conf()
    {
        var reference = ConfigFactory.DefaultReference();
        Assert.Equal("from-test-assembly", reference.GetString("actormq-hocon-tests.marker"));
        Assert.True(reference.HasPath("actormq"));
    }

    [Fact]
    public void Load_must_put_the_application_over_the_reference()
    {
        var config = ConfigFactory.Load(ConfigFactory.ParseString("actormq.custom-test-key = 5\nmine = ${actormq.custom-test-key}"));
        Assert.Equal(5, config.GetInt("mine"));
        Assert.True(config.HasPath("actormq"));
    }

    [Fact]
    public void Load_must_read_the_given_application_conf()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("application.conf", "app.name = demo\n");
        Assert.Equal("demo", ConfigFactory.Load(path).GetString("app.name"));
    }

    [Fact]
    public void ParseFile_must_fail_for_a_missing_file_unless_allowed()
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "nope.conf");
        var error = Assert.Throws<ConfigIOException>(() => ConfigFactory.ParseFile(missing));
        Assert.Contains("nope.conf", error.Message);
        Assert.True(ConfigFactory.ParseFile(missing, new ConfigParseOptions { AllowMissing = true }).IsEmpty);
    }

    [Fact]
    public void ParseFile_must_use_the_file_path_as_origin()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("a.conf", "x = 1\ny = 2\n");
        Assert.Equal($"{path}:2", ConfigFactory.ParseFile(path).GetOrigin("y").ToString());
    }

    [Fact]
    public void Empty_must_be_empty()
    {
        Assert.True(ConfigFactory.Empty.IsEmpty);
        Assert.Equal("{}", ConfigFactory.Empty.ToJson());
    }
}
