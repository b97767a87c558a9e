using ActorMq.Topology;
using Xunit;

namespace ActorMq.Tests.Topology;

public sealed class BrokerReplySpec
{
    [Fact]
    public void BrokerReply_must_read_the_differing_argument_of_a_queue()
    {
        var parsed = BrokerReply.ParseInequivalence(
            "PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'orders' in vhost '/': received 'quorum' but current is 'classic'");
        Assert.Equal(new BrokerReply.Inequivalence("queue", "orders", "x-queue-type", "quorum", "classic"), parsed);
    }

    [Fact]
    public void BrokerReply_must_read_typed_values_and_none()
    {
        var parsed = BrokerReply.ParseInequivalence(
            "PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue 'orders.retry.5s' in vhost 'shop': received the value '5000' of type 'long' but current is none");
        Assert.NotNull(parsed);
        Assert.Equal("orders.retry.5s", parsed.Name);
        Assert.Equal("x-message-ttl", parsed.Argument);
        Assert.Equal("5000 (long)", parsed.Received);
        Assert.Null(parsed.Current);
    }

    [Fact]
    public void BrokerReply_must_read_an_exchange_type_conflict()
    {
        var parsed = BrokerReply.ParseInequivalence(
            "PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'orders' in vhost '/': received 'fanout' but current is 'topic'");
        Assert.Equal(new BrokerReply.Inequivalence("exchange", "orders", "type", "fanout", "topic"), parsed);
    }

    [Fact]
    public void BrokerReply_must_return_null_for_other_replies()
    {
        Assert.Null(BrokerReply.ParseInequivalence("PRECONDITION_FAILED - unknown delivery tag 42"));
        Assert.Null(BrokerReply.ParseInequivalence(null));
    }

    [Fact]
    public void BrokerReply_must_find_the_named_queue_or_exchange()
    {
        Assert.Equal(("queue", "orders"), BrokerReply.NamedResource("NOT_FOUND - no queue 'orders' in vhost '/'"));
        Assert.Equal(("exchange", "audit"), BrokerReply.NamedResource("NOT_FOUND - no exchange 'audit' in vhost '/'"));
        Assert.Null(BrokerReply.NamedResource("CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'"));
    }

    [Fact]
    public void Mismatch_must_name_queue_argument_and_both_values()
    {
        var error = BrokerReply.Mismatch("queue", "orders",
            "PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'orders' in vhost '/': received 'quorum' but current is 'classic'");
        Assert.Equal("orders", error.Name);
        Assert.Equal("x-queue-type", error.Argument);
        Assert.Contains("'orders'", error.Message);
        Assert.Contains("'x-queue-type'", error.Message);
        Assert.Contains("classic", error.Message);
        Assert.Contains("quorum", error.Message);
    }

    [Fact]
    public void Mismatch_without_a_parsable_reply_must_still_name_the_queue()
    {
        var error = BrokerReply.Mismatch("queue", "orders", "PRECONDITION_FAILED - something new");
        Assert.Equal("orders", error.Name);
        Assert.Null(error.Argument);
        Assert.Contains("'orders'", error.Message);
    }

    [Fact]
    public void A_refused_publishs_reply_names_the_exchange_the_user_id_or_the_size_limit()
    {
        Assert.Equal(("exchange", "orders"), BrokerReply.NamedResource("NOT_FOUND - no exchange 'orders' in vhost '/'"));
        Assert.Equal(("exchange", "audit"), BrokerReply.NamedResource("ACCESS_REFUSED - write access to exchange 'audit' in vhost 'shop' refused for user 'bob'"));
        Assert.Equal("alice", BrokerReply.RefusedUserId("PRECONDITION_FAILED - user_id property set to 'alice' but authenticated user was 'guest'"));
        Assert.Equal(1000L, BrokerReply.MaxMessageSize("PRECONDITION_FAILED - message size 2000 is larger than configured max size 1000"));
        Assert.Null(BrokerReply.RefusedUserId("PRECONDITION_FAILED - message size 2000 is larger than configured max size 1000"));
        Assert.Null(BrokerReply.MaxMessageSize(null));
    }
}
