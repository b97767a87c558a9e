using Xunit;

namespace ActorMq.Tests.Publishing;

public sealed class PublishFailureSpec
{
    [Fact]
    public void Publish_failures_must_name_exchange_and_routing_key()
    {
        PublishFailureException[] failures =
        [
            new PublishReturnedException("shop", "order.lost", 312, "NO_ROUTE"),
            new PublishNackedException("shop", "order.lost"),
            new PublishConfirmTimeoutException("shop", "order.lost", TimeSpan.FromSeconds(30)),
        ];
        Assert.All(failures, f =>
        {
            Assert.Contains("exchange 'shop'", f.Message);
            Assert.Contains("routing key 'order.lost'", f.Message);
            Assert.Equal(("shop", "order.lost"), (f.Exchange, f.RoutingKey));
        });
        Assert.Contains("312 NO_ROUTE", failures[0].Message);
        Assert.Contains("30000 ms", failures[2].Message);
    }

    [Fact]
    public void The_default_exchange_must_be_named_as_such()
    {
        Assert.Contains("exchange '(default)'", new PublishNackedException("", "orders").Message);
    }

    [Fact]
    public void Back_pressure_must_say_why_and_the_bound()
    {
        var error = new BackPressureException("connection blocked: low on memory", 10_000);
        Assert.Contains("10000", error.Message);
        Assert.Contains("actormq.publisher.buffer-size", error.Message);
        Assert.Contains("low on memory", error.Message);
    }
}
