using Akka.Configuration;
using Xunit;

namespace ActorMq.Admin.Tests;

public sealed class AdminSettingsSpec
{
    private static AdminSettings Create(string hocon) => AdminSettings.Create(ActorMq.Tests.Shared.TestConfig.Load(ConfigurationFactory.ParseString(hocon)));

    [Fact]
    public void Defaults_come_from_reference_conf_and_hold_no_credentials()
    {
        var settings = Create("");

        Assert.False(settings.HasCredentials);
        Assert.Null(settings.ApiKey);
        Assert.Null(settings.BasicAuthUser);
        Assert.Equal("api-key", settings.ApiKeyName);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.RefreshInterval);
        Assert.Equal(150, settings.ChartPoints);
        Assert.Equal(25, settings.PageSize);
    }

    [Fact]
    public void Credentials_are_read_and_never_printed()
    {
        var settings = Create("actormq.admin { api-key = \"k-123456\", api-key-name = deploy-bot, basic-auth { user = ops, password = \"pw-secret\" } }");

        Assert.True(settings.HasCredentials);
        Assert.Equal("k-123456", settings.ApiKey);
        Assert.Equal("deploy-bot", settings.ApiKeyName);
        Assert.Equal(("ops", "pw-secret"), (settings.BasicAuthUser, settings.BasicAuthPassword));
        Assert.DoesNotContain("k-123456", settings.ToString());
        Assert.DoesNotContain("pw-secret", settings.ToString());
    }

    [Theory]
    [InlineData("actormq.admin.basic-auth.user = ops", "actormq.admin.basic-auth.password")]
    [InlineData("actormq.admin.basic-auth.password = pw", "actormq.admin.basic-auth.user")]
    [InlineData("actormq.admin.refresh-interval = 10ms", "actormq.admin.refresh-interval")]
    [InlineData("actormq.admin.page-size = 0", "actormq.admin.page-size")]
    [InlineData("actormq.admin.chart-points = 5", "actormq.admin.chart-points")]
    [InlineData("actormq.admin.refresh-interval = soon", "actormq.admin.refresh-interval")]
    public void An_invalid_value_names_its_path(string hocon, string path)
    {
        var error = Assert.Throws<ConfigurationException>(() => Create(hocon));

        Assert.Equal(path, error.Path);
        Assert.Contains(path, error.Message);
    }
}
