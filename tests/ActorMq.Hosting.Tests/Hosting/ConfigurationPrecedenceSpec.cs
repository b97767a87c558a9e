using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ActorMq.Hosting.Tests.Hosting;

/// <summary>
/// How WithActorMq's options, the user's HOCON and ActorMq's reference.conf combine in Akka.Hosting's configuration:
/// options are prepended (they win over HOCON added before and HOCON appended after), reference.conf is appended (it
/// loses to everything), HOCON prepended after WithActorMq wins over the options.
/// </summary>
public sealed class ConfigurationPrecedenceSpec
{
    private static async Task<T> WithSystemAsync<T>(Action<AkkaConfigurationBuilder> akka, Func<ActorSystem, T> read)
    {
        using var host = PlainHosts.Build(akka);
        var system = host.Services.GetRequiredService<ActorSystem>(); // the configuration, before anything starts
        try
        {
            return read(system);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Options_must_win_over_user_HOCON_added_before_and_keys_they_leave_unset_must_come_from_the_users_HOCON()
    {
        var (user, uris, password) = await WithSystemAsync(
            b => b
                .AddHocon("""
                    actormq.connection { user-name = from-hocon, password = from-hocon, uris = ["amqp://hocon:5672/"] }
                    """, HoconAddMode.Prepend)
                .WithActorMq(o =>
                {
                    o.ConnectionUris = ["amqp://options:5672/shop"];
                    o.Password = "from-options";
                }),
            s => (s.Settings.Config.GetString("actormq.connection.user-name"), s.Settings.Config.GetStringList("actormq.connection.uris"),
                s.Settings.Config.GetString("actormq.connection.password")));

        Assert.Equal("from-hocon", user);
        Assert.Equal(["amqp://options:5672/shop"], uris);
        Assert.Equal("from-options", password);
    }

    [Fact]
    public async Task User_HOCON_prepended_after_WithActorMq_must_win_over_the_options_and_appended_HOCON_must_not()
    {
        var (password, user) = await WithSystemAsync(
            b => b
                .WithActorMq(o =>
                {
                    o.Password = "from-options";
                    o.UserName = "from-options";
                })
                .AddHocon("actormq.connection.password = prepended-later", HoconAddMode.Prepend)
                .AddHocon("actormq.connection.user-name = appended-later", HoconAddMode.Append),
            s => (s.Settings.Config.GetString("actormq.connection.password"), s.Settings.Config.GetString("actormq.connection.user-name")));

        Assert.Equal("prepended-later", password);
        Assert.Equal("from-options", user);
    }

    [Fact]
    public async Task Reference_conf_must_fill_every_unset_key_and_lengthen_the_coordinated_shutdown_phases_for_the_drain()
    {
        var (prefetch, requestsDone, hosting) = await WithSystemAsync(
            b => b.WithActorMq(_ => { }),
            s => (s.Settings.Config.GetInt("actormq.consumer-defaults.prefetch"),
                s.Settings.Config.GetTimeSpan("akka.coordinated-shutdown.phases.service-requests-done.timeout"),
                HostingSettings.Create(s.Settings.Config)));

        Assert.Equal(ActorMqClient.DefaultConfig().GetInt("actormq.consumer-defaults.prefetch"), prefetch);
        // Akka's own 5 s would cut a 10 s drain-timeout short.
        Assert.True(requestsDone >= ActorMqClient.DefaultConfig().GetTimeSpan("actormq.consumer-defaults.drain-timeout") + TimeSpan.FromSeconds(10),
            $"service-requests-done.timeout is {requestsDone}");
        Assert.Equal(TimeSpan.FromSeconds(30), hosting.UnhealthyAfter);
        Assert.False(hosting.WaitUntilReady);
    }

    [Fact]
    public void Options_must_quote_what_they_write_and_refuse_bad_values_naming_the_HOCON_path()
    {
        var options = new ActorMqOptions { Password = "p\"a\\s s\nword", ConnectionUris = ["amqp://a:5672/", "amqp://b:5672/"], ReadyTimeout = TimeSpan.FromSeconds(2) };
        var config = options.ToConfig();
        Assert.Equal("p\"a\\s s\nword", config.GetString("actormq.connection.password"));
        Assert.Equal(["amqp://a:5672/", "amqp://b:5672/"], config.GetStringList("actormq.connection.uris"));
        Assert.Equal(TimeSpan.FromSeconds(2), config.GetTimeSpan("actormq.hosting.ready-timeout"));
        Assert.False(config.HasPath("actormq.connection.user-name"));

        var empty = Assert.Throws<ConfigurationException>(() => new ActorMqOptions { ConnectionUris = [] }.ToConfig());
        Assert.Equal("actormq.connection.uris", empty.Path);
        var negative = Assert.Throws<ConfigurationException>(() => new ActorMqOptions { ReadyTimeout = TimeSpan.FromSeconds(-1) }.ToConfig());
        Assert.Equal("actormq.hosting.ready-timeout", negative.Path);
        Assert.Contains("-00:00:01", negative.Message);
    }

    [Fact]
    public void Hosting_settings_must_refuse_a_bad_value_naming_path_and_value()
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString("actormq.hosting.health.unhealthy-after = soon")
            .WithFallback(ActorMqClient.DefaultConfig());
        var error = Assert.Throws<ConfigurationException>(() => HostingSettings.Create(config));
        Assert.Equal("actormq.hosting.health.unhealthy-after", error.Path);
        Assert.Contains("soon", error.Message);
    }
}
