using System.Net.Sockets;
using ActorMq.Connection;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Xunit;

namespace ActorMq.Tests.Connection;

public sealed class AmqpFailureClassifierSpec
{
    private static OperationInterruptedException Closed(ushort code, string text, ShutdownInitiator initiator = ShutdownInitiator.Peer) =>
        new(new ShutdownEventArgs(initiator, code, text));

    [Theory]
    [InlineData(320, "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'")]
    [InlineData(541, "INTERNAL_ERROR")]
    [InlineData(501, "FRAME_ERROR")]
    [InlineData(505, "UNEXPECTED_FRAME")]
    [InlineData(200, "Goodbye")]
    public void Connection_level_closes_must_reconnect(ushort code, string text)
    {
        var verdict = AmqpFailureClassifier.Classify(Closed(code, text));
        Assert.Equal(FailureVerdict.Reconnect, verdict.Verdict);
        Assert.Equal(code, verdict.ReplyCode);
    }

    [Fact]
    public void Transport_failures_must_reconnect()
    {
        Assert.Equal(FailureVerdict.Reconnect, AmqpFailureClassifier.Classify(new BrokerUnreachableException(new SocketException())).Verdict);
        Assert.Equal(FailureVerdict.Reconnect, AmqpFailureClassifier.Classify(new IOException("reset")).Verdict);
        Assert.Equal(FailureVerdict.Reconnect, AmqpFailureClassifier.Classify(new SocketException()).Verdict);
        Assert.Equal(FailureVerdict.Reconnect, AmqpFailureClassifier.Classify(new TimeoutException()).Verdict);
        Assert.Equal(FailureVerdict.Reconnect, AmqpFailureClassifier.Classify(new EndOfStreamException()).Verdict);
        Assert.Equal(FailureVerdict.Reconnect, AmqpFailureClassifier.Classify(new AlreadyClosedException(new ShutdownEventArgs(ShutdownInitiator.Library, 541, "Unexpected Exception"))).Verdict);
    }

    [Fact]
    public void Not_found_must_restart_the_channel_and_name_the_queue()
    {
        var verdict = AmqpFailureClassifier.Classify(Closed(404, "NOT_FOUND - no queue 'orders' in vhost '/'"));
        Assert.Equal(FailureVerdict.RestartChannel, verdict.Verdict);
        Assert.Contains("queue 'orders'", verdict.Reason);
    }

    [Fact]
    public void Resource_locked_must_restart_the_channel()
    {
        var verdict = AmqpFailureClassifier.Classify(Closed(405, "RESOURCE_LOCKED - cannot obtain exclusive access to locked queue 'jobs' in vhost '/'"));
        Assert.Equal(FailureVerdict.RestartChannel, verdict.Verdict);
        Assert.Contains("'jobs'", verdict.Reason);
    }

    [Fact]
    public void An_inequivalent_argument_must_stop_and_report_queue_and_argument()
    {
        var verdict = AmqpFailureClassifier.Classify(Closed(406,
            "PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'orders' in vhost '/': received 'quorum' but current is 'classic'"));
        Assert.Equal(FailureVerdict.StopAndReport, verdict.Verdict);
        var mismatch = Assert.IsType<TopologyMismatchException>(verdict.Error);
        Assert.Equal(("orders", "x-queue-type"), (mismatch.Name, mismatch.Argument));
        Assert.Contains("'orders'", verdict.Reason);
        Assert.Contains("'x-queue-type'", verdict.Reason);
    }

    [Fact]
    public void Other_precondition_failures_must_restart_the_channel()
    {
        Assert.Equal(FailureVerdict.RestartChannel, AmqpFailureClassifier.Classify(Closed(406, "PRECONDITION_FAILED - unknown delivery tag 7")).Verdict);
        Assert.Equal(FailureVerdict.RestartChannel, AmqpFailureClassifier.Classify(Closed(406, "PRECONDITION_FAILED - delivery acknowledgement on channel 1 timed out")).Verdict);
    }

    [Fact]
    public void Access_refused_and_not_allowed_must_stop_and_report()
    {
        var refused = AmqpFailureClassifier.Classify(Closed(403, "ACCESS_REFUSED - access to queue 'orders' in vhost '/' refused for user 'app'"));
        Assert.Equal(FailureVerdict.StopAndReport, refused.Verdict);
        Assert.Contains("queue 'orders'", refused.Reason);
        Assert.Equal(FailureVerdict.StopAndReport, AmqpFailureClassifier.Classify(Closed(530, "NOT_ALLOWED - vhost shop not found")).Verdict);
    }

    [Fact]
    public void Authentication_failures_must_stop_and_report_even_when_wrapped()
    {
        Assert.Equal(FailureVerdict.StopAndReport, AmqpFailureClassifier.Classify(new AuthenticationFailureException("ACCESS_REFUSED - Login was refused")).Verdict);
        Assert.Equal(FailureVerdict.StopAndReport,
            AmqpFailureClassifier.Classify(new BrokerUnreachableException(new AuthenticationFailureException("ACCESS_REFUSED - Login was refused"))).Verdict);
    }

    [Fact]
    public void Per_message_failures_must_fail_the_operation_only()
    {
        Assert.Equal(FailureVerdict.FailOperation, AmqpFailureClassifier.Classify(new PublishReturnedException("shop", "nowhere", 312, "NO_ROUTE")).Verdict);
        Assert.Equal(FailureVerdict.FailOperation, AmqpFailureClassifier.Classify(new MessageTooLargeException("queue 'orders'", 10, 5, "x")).Verdict);
        Assert.Equal(FailureVerdict.FailOperation, AmqpFailureClassifier.Classify(new PublishException(42, isReturn: true)).Verdict);
    }

    [Fact]
    public void Unknown_failures_must_restart_the_channel_conservatively()
    {
        var verdict = AmqpFailureClassifier.Classify(new InvalidOperationException("surprise"));
        Assert.Equal(FailureVerdict.RestartChannel, verdict.Verdict);
        Assert.Contains("surprise", verdict.Reason);
    }

    [Fact]
    public void A_wrapped_io_failure_must_reconnect()
    {
        Assert.Equal(FailureVerdict.Reconnect, AmqpFailureClassifier.Classify(new InvalidOperationException("write failed", new IOException("broken pipe"))).Verdict);
        Assert.Equal(FailureVerdict.Reconnect, AmqpFailureClassifier.Classify(new AggregateException(new SocketException())).Verdict);
    }
}
