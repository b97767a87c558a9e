using ActorMq.Connection;
using Xunit;

namespace ActorMq.Tests.Connection;

public sealed class UriMaskerSpec
{
    [Theory]
    [InlineData("amqp://guest:guest@localhost:5672/", "amqp://guest:***@localhost:5672/")]
    [InlineData("amqps://app:s3cr%40t@rabbit.example.com/shop", "amqps://app:***@rabbit.example.com/shop")]
    [InlineData("amqp://app:p@ss@host/vh", "amqp://app:***@host/vh")]
    [InlineData("amqp://app@host", "amqp://app@host")]
    [InlineData("amqp://host:5672", "amqp://host:5672")]
    [InlineData("user:pw@host", "user:***@host")]
    [InlineData("", "")]
    public void MaskUri_must_hide_passwords_only(string uri, string expected) => Assert.Equal(expected, UriMasker.MaskUri(uri));

    [Theory]
    [InlineData("amqp://app:pa/ss@host:5672/vh", "amqp://app:***@host:5672/vh")]
    [InlineData("amqp://app:pa#ss@host/vh", "amqp://app:***@host/vh")]
    [InlineData("amqp://app:pa?ss@host/vh", "amqp://app:***@host/vh")]
    [InlineData("amqp://app:/?#@host", "amqp://app:***@host")]
    [InlineData("amqps://app:a/b@c?d#e@rabbit.example.com/shop", "amqps://app:***@rabbit.example.com/shop")]
    public void MaskUri_must_hide_a_password_with_an_unencoded_slash_question_mark_or_hash(string uri, string expected)
    {
        var masked = UriMasker.MaskUri(uri);
        Assert.Equal(expected, masked);
        Assert.Equal(expected, UriMasker.MaskText($"connecting to {uri} failed").Replace("connecting to ", "").Replace(" failed", ""));
    }

    [Fact]
    public void MaskUri_must_not_touch_an_at_sign_after_the_authority()
    {
        Assert.Equal("amqp://host/vhost@x", UriMasker.MaskUri("amqp://host/vhost@x"));
        Assert.Equal("amqp://u:***@host/v@x", UriMasker.MaskUri("amqp://u:pw@host/v@x"));
    }

    [Fact]
    public void MaskAll_must_mask_every_endpoint()
    {
        var masked = UriMasker.MaskAll(["amqp://a:one@h1", "amqp://b:two@h2"]);
        Assert.Equal("amqp://a:***@h1, amqp://b:***@h2", masked);
        Assert.DoesNotContain("one", masked);
        Assert.DoesNotContain("two", masked);
    }
}
