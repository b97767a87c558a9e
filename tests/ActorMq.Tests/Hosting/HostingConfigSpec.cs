using Akka.Configuration;
using ActorMq.Hosting;
using Xunit;

namespace ActorMq.Tests.Hosting;

/// <summary>How AddHocon layers and code overrides combine over reference.conf.</summary>
public sealed class HostingConfigSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actormq-hosting.").FullName;

    [Fact]
    public void Unset_keys_must_come_from_reference_conf()
    {
        var config = new ActorMqHostingBuilder().AddHocon("actormq.publisher.publishers = 3").BuildConfig();
        Assert.Equal(3, config.GetInt("actormq.publisher.publishers"));
        Assert.Equal(ActorMqClient.DefaultConfig().GetInt("actormq.publisher.buffer-size"), config.GetInt("actormq.publisher.buffer-size"));
        Assert.Equal(ActorMqClient.DefaultConfig().GetString("actormq.hosting.system-name"), config.GetString("actormq.hosting.system-name"));
    }

    [Fact]
    public void A_later_AddHocon_must_win_over_an_earlier_one_and_keep_its_other_keys()
    {
        var config = new ActorMqHostingBuilder()
            .AddHocon("actormq.publisher { publishers = 2, buffer-size = 77 }")
            .AddHocon("actormq.publisher.publishers = 5")
            .BuildConfig();
        Assert.Equal(5, config.GetInt("actormq.publisher.publishers"));
        Assert.Equal(77, config.GetInt("actormq.publisher.buffer-size"));
    }

    [Fact]
    public void WithConfig_must_win_over_every_AddHocon_whatever_the_call_order()
    {
        var config = new ActorMqHostingBuilder()
            .WithConfig("actormq.publisher.publishers = 9")
            .AddHocon("actormq.publisher.publishers = 4")
            .WithConfig("actormq.publisher.buffer-size = 11")
            .AddHocon("actormq.publisher.buffer-size = 12")
            .BuildConfig();
        Assert.Equal(9, config.GetInt("actormq.publisher.publishers"));
        Assert.Equal(11, config.GetInt("actormq.publisher.buffer-size"));
    }

    [Fact]
    public void AddHocon_must_read_a_file_and_layer_text_over_it()
    {
        var file = Path.Combine(_directory, "app.conf");
        File.WriteAllText(file, "shop.name = orders-service\nactormq.publisher.publishers = 6\n");
        var config = new ActorMqHostingBuilder()
            .AddHocon(file)
            .AddHocon("shop.name = orders-service\nactormq.hosting.system-name = ${shop.name}")
            .BuildConfig();
        Assert.Equal(6, config.GetInt("actormq.publisher.publishers"));
        Assert.Equal("orders-service", config.GetString("actormq.hosting.system-name"));
    }

    [Fact]
    public void A_missing_conf_file_must_fail_naming_the_file()
    {
        var missing = Path.Combine(_directory, "nowhere.conf");
        var builder = new ActorMqHostingBuilder().AddHocon(missing);
        var error = Assert.Throws<ConfigurationException>(() => builder.BuildConfig());
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void Hosting_settings_must_reject_a_bad_value_naming_path_and_line()
    {
        var config = new ActorMqHostingBuilder().AddHocon("# first line\nactormq.hosting.health.buffer-degraded-ratio = 1.5").BuildConfig();
        var error = Assert.Throws<ConfigurationException>(() => HostingSettings.Create(config));
        Assert.Equal("actormq.hosting.health.buffer-degraded-ratio", error.Path);
        Assert.Contains("'1.5'", error.Message);
        Assert.Contains("between 0 and 1", error.Message);
    }

    [Fact]
    public void Hosting_settings_must_read_every_key()
    {
        var settings = HostingSettings.Create(new ActorMqHostingBuilder()
            .AddHocon("actormq.hosting { system-name = shop_1, wait-until-ready = on, ready-timeout = 3s, health.buffer-degraded-ratio = 0.25 }")
            .BuildConfig());
        Assert.Equal(new HostingSettings("shop_1", true, TimeSpan.FromSeconds(3), 0.25), settings);
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}
