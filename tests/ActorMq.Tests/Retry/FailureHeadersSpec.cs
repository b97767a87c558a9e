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
        var second = FailureHeaders.With(first, new FailureInfo(new InvalidOperationException("two"), At.AddSeconds(5), "", "orders"), 100);
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
}
