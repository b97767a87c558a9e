using ActorMq.Retry;
using Xunit;

namespace ActorMq.Tests.Retry;

public sealed class FailureHeadersSpec
{
    private static readonly DateTimeOffset At = new(2026, 11, 21, 8, 30, 15, 123, TimeSpan.FromHours(2));

    [Fact]
    public void FailureHeaders_must_add_every_header_without_mutating_the_original()
    {
        var original = new Dictionary<string, object?> { ["tenant"] = "acme", ["retry-count"] = 1 };
        var headers = FailureHeaders.With(original, new FailureInfo(new TimeoutException("db slow"), At, "shop", "order.created"), 1024);

        Assert.Equal(2, original.Count);
        Assert.Equal("acme", headers["tenant"]);
        Assert.Equal("System.TimeoutException", headers[FailureHeaders.ErrorType]);
        Assert.Equal("db slow", headers[FailureHeaders.ErrorMessage]);
        Assert.Equal("2026-11-21T06:30:15.123Z", headers[FailureHeaders.FailedAt]);
        Assert.Equal("shop", headers[FailureHeaders.OriginalExchange]);
        Assert.Equal("order.created", headers[FailureHeaders.OriginalRoutingKey]);
    }

    [Fact]
    public void FailureHeaders_must_keep_the_first_original_address_across_retries()
    {
        var first = FailureHeaders.With(null, new FailureInfo(new Exception("one"), At, "shop", "order.created"), 100);
        var second = FailureHeaders.With(first, new FailureInfo(new InvalidOperationException("two"), At.AddSeconds(5), "", "orders") { RetryCopy = true }, 100);
        Assert.Equal("shop", second[FailureHeaders.OriginalExchange]);
        Assert.Equal("order.created", second[FailureHeaders.OriginalRoutingKey]);
        Assert.Equal("two", second[FailureHeaders.ErrorMessage]);
        Assert.Equal("System.InvalidOperationException", second[FailureHeaders.ErrorType]);
    }

    [Fact]
    public void FailureHeaders_must_truncate_long_messages_to_the_limit()
    {
        var headers = FailureHeaders.With(null, new FailureInfo(new Exception(new string('a', 500)), At, "", "q"), 100);
        var message = Assert.IsType<string>(headers[FailureHeaders.ErrorMessage]);
        Assert.Equal(100, message.Length);
        Assert.EndsWith("…", message);
    }

    [Fact]
    public void Truncate_must_not_split_a_surrogate_pair()
    {
        var text = "ab" + "\U0001F600" + "cdef";
        var cut = FailureHeaders.Truncate(text, 4);
        Assert.Equal("ab…", cut);
        Assert.Equal("short", FailureHeaders.Truncate("short", 10));
    }

    [Fact]
    public void FailureHeaders_must_never_write_an_x_header()
    {
        var headers = FailureHeaders.With(new Dictionary<string, object?>(), new FailureInfo(new Exception("e"), At, "ex", "rk"), 64);
        Assert.DoesNotContain(headers.Keys, key => key.StartsWith("x-", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The x-death entry the broker writes when a retry copy's TTL expires in tier <paramref name="tier"/>.</summary>
    private static Dictionary<string, object?> BackFromTier(string tier) => new()
    {
        ["x-death"] = new List<object> { new Dictionary<string, object?>
        {
            ["queue"] = System.Text.Encoding.UTF8.GetBytes(tier), ["reason"] = System.Text.Encoding.UTF8.GetBytes("expired"),
            ["exchange"] = Array.Empty<byte>(), ["routing-keys"] = new List<object> { System.Text.Encoding.UTF8.GetBytes(tier) }, ["count"] = 1L,
        } },
    };

    [Fact]
    public void Failure_headers_a_producer_set_must_be_renamed_and_replaced_on_the_first_failure()
    {
        var forged = new Dictionary<string, object?>
        {
            ["original-exchange"] = "attacker-exchange", ["original-routing-key"] = "steal.everything", ["error-type"] = "Fake.Error",
            ["error-message"] = "nothing to see", ["failed-at"] = "1999-01-01T00:00:00.000Z", ["first-failed-at"] = "1999-01-01T00:00:00.000Z",
            ["tenant"] = "acme",
        };

        var headers = FailureHeaders.With(forged, new FailureInfo(new TimeoutException("db slow"), At, "shop", "order.created"), 100);

        Assert.Equal("shop", headers[FailureHeaders.OriginalExchange]);
        Assert.Equal("order.created", headers[FailureHeaders.OriginalRoutingKey]);
        Assert.Equal("System.TimeoutException", headers[FailureHeaders.ErrorType]);
        Assert.Equal("2026-11-21T06:30:15.123Z", headers[FailureHeaders.FirstFailedAt]);
        Assert.Equal("attacker-exchange", headers["producer-original-exchange"]);
        Assert.Equal("steal.everything", headers["producer-original-routing-key"]);
        Assert.Equal("Fake.Error", headers["producer-error-type"]);
        Assert.Equal("acme", headers["tenant"]);
    }

    [Fact]
    public void IsRetryCopy_must_recognise_a_copy_the_broker_dead_lettered_back_from_a_tier_only()
    {
        Assert.True(FailureHeaders.IsRetryCopy(BackFromTier("orders.retry.200ms"), "orders"));
        Assert.False(FailureHeaders.IsRetryCopy(null, "orders"));
        Assert.False(FailureHeaders.IsRetryCopy(new Dictionary<string, object?> { ["original-exchange"] = "x", ["retry-count"] = 1 }, "orders"));
        // Dead-lettered from the work queue itself (a reject), not from a tier.
        Assert.False(FailureHeaders.IsRetryCopy(BackFromTier("orders"), "orders"));
        var rejected = BackFromTier("orders.retry.200ms");
        ((Dictionary<string, object?>)((List<object>)rejected["x-death"]!)[0])["reason"] = "rejected";
        Assert.False(FailureHeaders.IsRetryCopy(rejected, "orders"));
    }
}
