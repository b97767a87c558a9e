using ActorMq.Settings;
using Xunit;

namespace ActorMq.Tests.Settings;

public sealed class SubscriptionSettingsSpec
{
    [Fact]
    public void A_subscription_must_consume_exchange_dot_group_over_the_consumer_defaults_the_user_changed()
    {
        var settings = ActorMqSettings.Create(Conf.Of("""
            actormq.consumer-defaults.prefetch = 42
            actormq.subscriptions.billing { exchange = orders, type = topic, binding-keys = ["order.*"], concurrency = 3 }
            """));

        var billing = settings.Consumer("billing");
        Assert.Equal("orders.billing", billing.Queue);
        Assert.Equal(42, billing.Prefetch);
        Assert.Equal(3, billing.Concurrency);
        Assert.Equal(("orders", "topic", "billing"), (billing.Subscription!.Exchange, billing.Subscription.ExchangeType, billing.Subscription.Group));
        Assert.Equal(["order.*"], billing.Subscription.BindingKeys);
    }

    [Fact]
    public void A_subscription_without_an_exchange_must_fail_naming_its_path()
    {
        var error = Assert.Throws<ConfigurationException>(() => ActorMqSettings.Create(Conf.Of("""

            actormq.subscriptions.billing { group = payments }
            """)));
        Assert.Equal("actormq.subscriptions.billing.exchange", error.Path);
        Assert.Contains("actormq.subscriptions.billing.exchange", error.Message);
    }

    [Fact]
    public void A_topic_subscription_without_binding_keys_must_fail()
    {
        var error = Assert.Throws<ConfigurationException>(() => ActorMqSettings.Create(Conf.Of(
            "actormq.subscriptions.audit { exchange = ledger, type = topic }")));
        Assert.Contains("binding-keys", error.Message);
    }

    [Fact]
    public void A_name_used_by_a_consumer_and_a_subscription_must_fail()
    {
        var error = Assert.Throws<ConfigurationException>(() => ActorMqSettings.Create(Conf.Of("""
            actormq.consumers.billing {}
            actormq.subscriptions.billing { exchange = orders }
            """)));
        Assert.Contains("also a consumer", error.Message);
    }
}
