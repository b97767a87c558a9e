using Xunit;

namespace ActorMq.Hocon.Tests;

/// <summary>The example configurations under hocon/samples load and mean what their comments say.</summary>
public sealed class SamplesSpec
{
    private static string SamplesDirectory() => Path.Combine(RepositoryRoot.Find(), "hocon", "samples");

    [Fact]
    public void Sample_application_conf_must_load_over_the_reference()
    {
        var config = ConfigFactory.Load(Path.Combine(SamplesDirectory(), "application.conf"));
        Assert.True(config.HasPath("actormq"));
        Assert.Equal(["orders", "invoices", "audit"], config.GetStringList("orders-service.queues"));
        Assert.Equal(TimeSpan.FromSeconds(5), config.GetTimeSpan("orders-service.idle-timeout"));
        Assert.Equal(524_288, config.GetBytes("orders-service.max-message-size"));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)], config.GetTimeSpanList("orders-service.retry.delays"));
        Assert.True(config.GetBoolean("orders-service.retry.jitter"));
        Assert.Equal("development", config.GetString("common.environment"));
        Assert.EndsWith("common.conf:3", config.GetOrigin("common.vhost").ToString());
    }

    [Fact]
    public void Sample_environment_override_must_apply_only_when_the_variable_is_set()
    {
        var path = Path.Combine(SamplesDirectory(), "application.conf");
        var parsed = ConfigFactory.ParseFile(path);
        var withoutEnv = parsed.Resolve(new ConfigResolveOptions { UseEnvironment = false });
        Assert.Equal("amqp://localhost:5672/orders", withoutEnv.GetString("orders-service.url"));
    }
}
