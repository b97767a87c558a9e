using System.Net.Sockets;
using ActorMq.Topology;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace ActorMq.Connection;

/// <summary>What the supervisor does about a failure.</summary>
internal enum FailureVerdict
{
    /// <summary>The link is gone or unusable: stop the children, reconnect with backoff, re-run topology.</summary>
    Reconnect,

    /// <summary>Only this channel is gone: restart the owning child (and its channel) with backoff.</summary>
    RestartChannel,

    /// <summary>Retrying cannot help (credentials, permissions, a conflicting declaration): stop that part and report.</summary>
    StopAndReport,

    /// <summary>The link is fine; this one operation (one message) failed: fail it, keep the channel.</summary>
    FailOperation,
}

/// <summary>A verdict with the broker's reply (when there was one) and a sentence that names what failed.</summary>
/// <param name="Verdict">What to do.</param>
/// <param name="ReplyCode">The AMQP reply code, or <c>null</c> for a transport failure.</param>
/// <param name="Reason">A human sentence naming the queue/exchange and argument where the broker gave them.</param>
/// <param name="Error">An ActorMq exception to report (e.g. <see cref="TopologyMismatchException"/>), or <c>null</c>.</param>
internal sealed record FailureClassification(FailureVerdict Verdict, ushort? ReplyCode, string Reason, ActorMqException? Error = null);

/// <summary>
/// The one place that maps an AMQP failure to a supervision decision (EasyNetQ's exception verdict idea):
/// transport failures and connection-level closes reconnect; channel-level closes restart that channel;
/// access refused, vhost not allowed, authentication failure and declaration conflicts stop and report.
/// </summary>
internal static class AmqpFailureClassifier
{
    /// <summary>Classifies <paramref name="failure"/>.</summary>
    public static FailureClassification Classify(Exception failure) => failure switch
    {
        AuthenticationFailureException e => Stop(null, $"authentication failed: {e.Message}"),
        PossibleAuthenticationFailureException e => Stop(null, $"the broker closed the connection during the handshake (wrong user, password or virtual host?): {e.Message}"),
        ProtocolVersionMismatchException e => Stop(null, $"AMQP protocol mismatch: {e.Message}"),
        BrokerUnreachableException { InnerException: { } inner } when inner is not BrokerUnreachableException && Classify(inner).Verdict == FailureVerdict.StopAndReport => Classify(inner),
        BrokerUnreachableException e => Reconnect(null, $"broker unreachable: {e.InnerException?.Message ?? e.Message}"),
        PublishException { IsReturn: true } => new(FailureVerdict.FailOperation, null, "the message was returned as unroutable"),
        PublishException => new(FailureVerdict.FailOperation, null, "the broker nacked the message"),
        OperationInterruptedException { ShutdownReason: { } reason } => FromReply(reason), // AlreadyClosedException too
        PermanentFailureException or PublishFailureException or BackPressureException
            => new(FailureVerdict.FailOperation, null, failure.Message, (ActorMqException)failure),
        TopologyMismatchException e => Stop(Constants.PreconditionFailed, e.Message, e),
        ConnectFailureException or SocketException or IOException or TimeoutException
            => Reconnect(null, $"connection failure: {failure.GetType().Name}: {failure.Message}"),
        AggregateException { InnerExceptions.Count: 1 } e => Classify(e.InnerExceptions[0]),
        _ when failure.InnerException is IOException or SocketException => Reconnect(null, $"connection failure: {failure.InnerException.Message}"),
        _ => new(FailureVerdict.RestartChannel, null, $"unexpected failure: {failure.GetType().Name}: {failure.Message}"),
    };

    /// <summary>Classifies a shutdown (of a channel or a connection) from its reply code and text.</summary>
    public static FailureClassification FromReply(ShutdownEventArgs reason)
    {
        var code = reason.ReplyCode;
        var text = reason.ReplyText ?? "";
        var resource = BrokerReply.NamedResource(text);
        var named = resource is { } r ? $" ({r.Kind} '{r.Name}')" : "";
        return code switch
        {
            Constants.ReplySuccess when reason.Initiator == ShutdownInitiator.Application
                => new(FailureVerdict.RestartChannel, code, "closed by the application"),
            Constants.ReplySuccess => Reconnect(code, $"closed by the broker: {text}"),
            Constants.ConnectionForced => Reconnect(code, $"connection forced closed by the broker (restart, close_all_connections, node shutdown): {text}"),
            Constants.AccessRefused => Stop(code, $"access refused{named}: {text}"),
            Constants.NotAllowed => Stop(code, $"not allowed (virtual host missing or not permitted for this user): {text}"),
            Constants.PreconditionFailed when BrokerReply.ParseInequivalence(text) is { } diff
                => Stop(code, $"{diff.Kind} '{diff.Name}' argument '{diff.Argument}' differs: {text}",
                    new TopologyMismatchException(diff.Kind, diff.Name, diff.Argument, diff.Received, diff.Current, text)),
            Constants.PreconditionFailed => Restart(code, $"precondition failed{named}: {text}"),
            Constants.NotFound => Restart(code, $"not found{named}: {text}"),
            Constants.ResourceLocked => Restart(code, $"resource locked{named}: {text}"),
            Constants.ContentTooLarge => Restart(code, $"content too large: {text}"),
            Constants.NoRoute or Constants.NoConsumers => Restart(code, text),
            // 501-506, 530 handled above, 540, 541: connection-level errors close the whole connection
            Constants.InternalError or Constants.FrameError or Constants.SyntaxError or Constants.CommandInvalid
                or Constants.ChannelError or Constants.UnexpectedFrame or Constants.ResourceError or Constants.NotImplemented
                => Reconnect(code, $"connection error {code}: {text}"),
            _ when reason.Initiator == ShutdownInitiator.Library => Reconnect(code, $"closed by the client library: {text}"),
            _ => Restart(code, $"closed with {code}: {text}"),
        };
    }

    private static FailureClassification Reconnect(ushort? code, string reason) => new(FailureVerdict.Reconnect, code, reason);

    private static FailureClassification Restart(ushort? code, string reason) => new(FailureVerdict.RestartChannel, code, reason);

    private static FailureClassification Stop(ushort? code, string reason, ActorMqException? error = null) =>
        new(FailureVerdict.StopAndReport, code, reason, error);
}
