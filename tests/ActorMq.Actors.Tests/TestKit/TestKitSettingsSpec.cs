using ActorMq.Hocon;

namespace ActorMq.Actors.Tests.TestKit;

public sealed class TestKitSettingsSpec
{
    [Fact]
    public void Timefactor_must_dilate_every_default_timeout()
    {
        var config = ConfigFactory.ParseString("""
            actormq.test { single-expect-default = 2s, default-timeout = 4s, expect-no-message-default = 100ms, timefactor = 2.5 }
            """).WithFallback(ConfigFactory.DefaultReference()).Resolve();
        var settings = TestKitSettings.Create(config);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.SingleExpectDefault);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.DefaultTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.ExpectNoMessageDefault);
        Assert.Equal(TimeSpan.FromSeconds(25), settings.Dilated(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Timefactor_must_be_positive()
    {
        var config = ConfigFactory.ParseString("actormq.test.timefactor = 0").WithFallback(ConfigFactory.DefaultReference()).Resolve();
        var e = Assert.ThrowsAny<ConfigException>(() => TestKitSettings.Create(config));
        Assert.Contains("actormq.test.timefactor", e.Message);
    }

    [Fact]
    public void Reference_defaults_must_exist_for_every_key()
    {
        var settings = TestKitSettings.Create(ConfigFactory.DefaultReference());
        Assert.True(settings.SingleExpectDefault > TimeSpan.Zero);
        Assert.True(settings.TimeFactor > 0);
    }
}
