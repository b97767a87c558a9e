using ActorMq.Connection;
using ActorMq.Settings;
using ActorMq.Topology;
using Xunit;

namespace ActorMq.Tests.Settings;

public sealed class ActorMqSettingsSpec
{
    [Fact]
    public void Reference_conf_alone_must_give_valid_settings()
    {
        var settings = ActorMqSettings.Create(Conf.Of(""));
        Assert.Equal([new BrokerEndpoint("localhost", 5672, false, null, null, null)], settings.Connection.Endpoints);
        Assert.Null(settings.Connection.MaxOutage);
        Assert.Empty(settings.Consumers);
        Assert.Equal("retry-count", settings.Retry.AttemptHeader);
        Assert.Equal(DelayedPublishMode.Tiers, settings.Retry.DelayedPublishMode);
        Assert.True(settings.Publisher.BufferSize > 0);
        Assert.Equal("{exchange}.{group}", settings.Topology.GroupQueuePattern);
    }

    [Fact]
    public void A_consumer_must_be_layered_over_consumer_defaults()
    {
        var settings = ActorMqSettings.Create(Conf.Of("""
            actormq.consumers.orders { concurrency = 16, ack-flush-interval = 5ms, retry.delays = [1s, 10s] }
            """));
        var defaults = ConsumerSettings.Create(Conf.Of(""), "anything", "{exchange}.{group}");
        var orders = settings.Consumer("orders");
        Assert.Equal("orders", orders.Queue);
        Assert.Equal(16, orders.Concurrency);
        Assert.Equal(TimeSpan.FromMilliseconds(5), orders.AckFlushInterval);
        Assert.Equal(defaults.AckBatchSize, orders.AckBatchSize);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)], orders.Retry.Delays);
        Assert.Equal(defaults.Retry.MaxAttempts, orders.Retry.MaxAttempts);
        Assert.Equal(defaults.Prefetch, orders.Prefetch);
        Assert.Equal(defaults.HandlerTimeout, orders.HandlerTimeout);
        Assert.Null(orders.Subscription);
    }

    [Fact]
    public void A_consumer_name_with_a_dot_must_be_read_as_one_key()
    {
        var settings = ActorMqSettings.Create(Conf.Of("""actormq.consumers."orders.v2" { prefetch = 7, concurrency = 12 }"""));
        var consumer = settings.Consumer("orders.v2");
        Assert.Equal("orders.v2", consumer.Queue);
        Assert.Equal(7, consumer.Prefetch);
        Assert.Equal(7, consumer.Concurrency);
        Assert.Equal(7, consumer.AckBatchSize); // capped at prefetch
        var error = Assert.Throws<ConfigurationException>(() => ActorMqSettings.Create(Conf.Of("""actormq.consumers."orders.v2".prefetch = 0""")));
        Assert.Equal("actormq.consumers.\"orders.v2\".prefetch", error.Path);
    }

    [Fact]
    public void A_consumer_registered_only_in_code_must_get_the_defaults()
    {
        var consumer = ConsumerSettings.Create(Conf.Of(""), "payments", "{exchange}.{group}");
        Assert.Equal("payments", consumer.Queue);
        Assert.Equal(QueueType.Classic, consumer.QueueType);
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5)], consumer.Retry.Delays);
        Assert.Equal(4, consumer.Retry.MaxAttempts);
    }

    [Fact]
    public void A_subscription_must_name_the_queue_after_exchange_and_group()
    {
        var settings = ActorMqSettings.Create(Conf.Of("""
            actormq.consumers {
              billing { subscription { exchange = orders, exchange-type = topic, binding-keys = ["order.*"] } }
              audit { subscription { exchange = orders, exchange-type = topic, group = audit-all, binding-keys = ["#"] } }
            }
            """));
        var billing = settings.Consumer("billing");
        Assert.Equal("orders.billing", billing.Queue);
        Assert.NotNull(billing.Subscription);
        Assert.Equal(("orders", "topic", "billing"), (billing.Subscription.Exchange, billing.Subscription.ExchangeType, billing.Subscription.Group));
        Assert.Equal(["order.*"], billing.Subscription.BindingKeys);
        Assert.Equal("orders.audit-all", settings.Consumer("audit").Queue);
    }

    [Fact]
    public void Retry_settings_must_accept_the_go_header_and_read_the_delayed_publish_mode()
    {
        var settings = ActorMqSettings.Create(Conf.Of("""
            actormq.retry { attempt-header = retry_nums, delayed-publish { mode = exact, tiers = [1m, 5s] } }
            """));
        Assert.Equal("retry_nums", settings.Retry.AttemptHeader);
        Assert.Equal(DelayedPublishMode.Exact, settings.Retry.DelayedPublishMode);
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)], settings.Retry.DelayTiers);
    }

    [Fact]
    public void Connection_settings_must_read_endpoints_outage_and_tls()
    {
        var settings = ActorMqSettings.Create(Conf.Of("""
            actormq.connection {
              uris = ["amqp://app:secret@rabbit-1:5673/shop", "amqps://rabbit-2"]
              max-outage = 5m
              heartbeat = 0s
              tls.server-name = rabbit.internal
            }
            """)).Connection;
        Assert.Equal(2, settings.Endpoints.Count);
        Assert.Equal(new BrokerEndpoint("rabbit-1", 5673, false, "app", "secret", "shop"), settings.Endpoints[0]);
        Assert.True(settings.Endpoints[1].UseTls);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.MaxOutage);
        Assert.Equal(TimeSpan.Zero, settings.Heartbeat);
        Assert.Equal("rabbit.internal", settings.Tls.ServerName);
        Assert.DoesNotContain("secret", settings.ToString());
    }

    [Fact]
    public void Unknown_consumer_must_be_reported_with_the_configured_ones()
    {
        var settings = ActorMqSettings.Create(Conf.Of("actormq.consumers.orders {}"));
        var error = Assert.Throws<ConfigurationException>(() => settings.Consumer("payments"));
        Assert.Equal("actormq.consumers.payments", error.Path);
        Assert.Contains("orders", error.Message);
    }

    [Fact]
    public void Two_consumers_of_one_queue_must_be_rejected()
    {
        var error = Assert.Throws<ConfigurationException>(() => ActorMqSettings.Create(Conf.Of("""
            actormq.consumers {
              a { queue = jobs }
              b { queue = jobs }
            }
            """)));
        Assert.Contains("'a' and 'b'", error.Message);
        Assert.Contains("'jobs'", error.Message);
    }

    [Fact]
    public void Backoff_must_double_from_min_to_max_with_bounded_jitter()
    {
        var backoff = new BackoffSettings(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2), 0.5);
        Assert.Equal(TimeSpan.FromMilliseconds(200), backoff.Delay(0, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(400), backoff.Delay(1, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(1600), backoff.Delay(3, 0));
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Delay(4, 0));
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Delay(1000, 0));
        Assert.Equal(TimeSpan.FromSeconds(3), backoff.Delay(1000, 1));
        Assert.Equal(TimeSpan.FromMilliseconds(250), backoff.Delay(0, 0.5));
    }
}
