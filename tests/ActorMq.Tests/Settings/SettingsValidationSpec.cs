using ActorMq.Settings;
using Xunit;

namespace ActorMq.Tests.Settings;

public sealed class SettingsValidationSpec
{
    private static ConfigurationException Invalid(string application) =>
        Assert.Throws<ConfigurationException>(() => ActorMqSettings.Create(Conf.Of(application)));

    [Theory]
    [InlineData("actormq.consumers.orders.queue-type = stream", "actormq.consumers.orders.queue-type", "classic | quorum")]
    [InlineData("actormq.consumers.orders.prefetch = -1", "actormq.consumers.orders.prefetch", "between 1 and 65535")]
    [InlineData("actormq.consumers.orders.concurrency = 0", "actormq.consumers.orders.concurrency", "integer >= 1")]
    [InlineData("actormq.consumers.orders.retry.max-attempts = 0", "actormq.consumers.orders.retry.max-attempts", "between 1 and")]
    [InlineData("actormq.consumers.orders.retry.delays = []", "actormq.consumers.orders.retry.delays", "non-empty list")]
    [InlineData("actormq.consumers.orders.handler-timeout = 0s", "actormq.consumers.orders.handler-timeout", "duration > 0")]
    [InlineData("actormq.consumers.orders.ack-batch-size = 0", "actormq.consumers.orders.ack-batch-size", "integer >= 1")]
    [InlineData("actormq.consumers.orders.ack-flush-interval = 0ms", "actormq.consumers.orders.ack-flush-interval", "duration > 0")]
    [InlineData("actormq.consumers.orders.circuit-breaker.max-reset-timeout = 1s", "actormq.consumers.orders.circuit-breaker.max-reset-timeout", "at least reset-timeout")]
    [InlineData("actormq.consumers.orders.circuit-breaker.exponential-backoff-factor = 0.5", "actormq.consumers.orders.circuit-breaker.exponential-backoff-factor", "between 1 and")]
    [InlineData("actormq.consumers.orders.circuit-breaker.max-failures = 0", "actormq.consumers.orders.circuit-breaker.max-failures", "between 1 and")]
    [InlineData("actormq.connection.uris = []", "actormq.connection.uris", "at least one")]
    [InlineData("actormq.connection.random-factor = 2", "actormq.connection.random-factor", "between 0 and 1")]
    [InlineData("actormq.connection.max-backoff = 1ms", "actormq.connection.max-backoff", ">= min-backoff")]
    [InlineData("actormq.publisher.buffer-size = 0", "actormq.publisher.buffer-size", "integer >= 1")]
    [InlineData("actormq.retry.attempt-header = x-retry", "actormq.retry.attempt-header", "not starting with 'x-'")]
    [InlineData("actormq.retry.tier-queue-pattern = \"{queue}.retry\"", "actormq.retry.tier-queue-pattern", "missing {delay}")]
    [InlineData("actormq.retry.delayed-publish.mode = sometimes", "actormq.retry.delayed-publish.mode", "tiers | exact")]
    public void A_bad_value_must_name_path_value_and_expectation(string line, string path, string expectation)
    {
        var error = Invalid("# a comment line first\n" + line);
        Assert.Equal(path, error.Path);
        Assert.Contains(path, error.Message);
        var value = line[(line.IndexOf(" = ", StringComparison.Ordinal) + 3)..].Trim('"');
        if (value != "[]") Assert.Contains($"found '{value}'", error.Message);
        Assert.Contains(expectation, error.Message);
    }

    [Fact]
    public void A_quorum_delivery_limit_must_exceed_max_attempts()
    {
        var error = Invalid("""
            actormq.consumers.orders {
              queue-type = quorum
              delivery-limit = 4
            }
            """);
        Assert.Equal("actormq.consumers.orders.delivery-limit", error.Path);
        Assert.Contains("found '4'", error.Message);
        Assert.Contains("greater than retry.max-attempts (4)", error.Message);
        ActorMqSettings.Create(Conf.Of("actormq.consumers.orders { queue-type = quorum, delivery-limit = 5 }"));
    }

    [Fact]
    public void A_value_of_the_wrong_type_must_name_the_path()
    {
        var error = Invalid("actormq.consumers.orders.prefetch = lots");
        Assert.Equal("actormq.consumers.orders.prefetch", error.Path);
        Assert.Contains("actormq.consumers.orders.prefetch", error.Message);
    }

    [Fact]
    public void A_bad_uri_must_be_reported_with_its_password_masked()
    {
        var error = Invalid("""actormq.connection.uris = ["http://app:hunter2@host"]""");
        Assert.Equal("actormq.connection.uris", error.Path);
        Assert.Contains("scheme 'http'", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Fact]
    public void A_topic_subscription_without_binding_keys_must_be_rejected()
    {
        var error = Invalid("actormq.consumers.billing.subscription { exchange = orders, exchange-type = topic }");
        Assert.Equal("actormq.consumers.billing.subscription.binding-keys", error.Path);
    }

    [Fact]
    public void A_reserved_queue_name_must_be_rejected()
    {
        Assert.Equal("actormq.consumers.x.queue", Invalid("actormq.consumers.x.queue = amq.gen-1").Path);
    }

    [Fact]
    public void A_sub_millisecond_delay_must_be_rejected()
    {
        var error = Invalid("actormq.consumers.orders.retry.delays = [1.5ms]");
        Assert.Equal("actormq.consumers.orders.retry.delays", error.Path);
    }
}
