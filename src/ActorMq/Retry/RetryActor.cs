using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using ActorMq.Diagnostics;
using ActorMq.Consuming;
using ActorMq.DeadStore;
using ActorMq.Publishing;
using ActorMq.Settings;
using ActorMq.Topology;
using RabbitMQ.Client;

namespace ActorMq.Retry;

/// <summary>
/// Decides what happens to a failed delivery (<see cref="SettleFailure"/> from a consumer), from the attempt header and
/// the consumer's retry policy. Attempts left: it publishes a copy — same body and properties, the attempt header plus
/// one, and the failure headers (<c>error-type</c>, <c>error-message</c>, <c>failed-at</c>, <c>original-exchange</c>,
/// <c>original-routing-key</c>) — to the tier queue <c>&lt;queue&gt;.retry.&lt;delay&gt;</c> with publisher confirms,
/// and only after the confirm answers <see cref="FailureSettled"/> (the consumer then acks the original). No attempts
/// left, or a permanent failure: the delivery goes to the <see cref="DeadStoreActor"/>, which answers once the dead
/// letter is committed. If the retry copy cannot be published, it answers <see cref="FailureNotSettled"/>: the consumer
/// holds the original unacked and settles it again after <c>retry.requeue-backoff</c>, the attempt not counted (given back
/// to the queue only after <c>retry.settle-hold</c>). Child of <see cref="ActorMqActor"/>.
/// </summary>
internal sealed class RetryActor : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly RetrySettings _settings;
    private readonly IReadOnlyDictionary<string, RetryPolicy> _policies;
    private readonly IActorRef _publisher;
    private readonly IActorRef _deadStore;
    private readonly ActorMqInstruments _instruments;
    private readonly IReadOnlySet<string> _connectionUsers;

    public RetryActor(RetrySettings settings, IReadOnlyDictionary<string, RetryPolicy> policies, IActorRef publisher, IActorRef deadStore,
        ActorMqInstruments instruments, IReadOnlySet<string> connectionUsers)
    {
        _connectionUsers = connectionUsers;
        _instruments = instruments;
        _settings = settings;
        _policies = policies;
        _publisher = publisher;
        _deadStore = deadStore;
        Receive<SettleFailure>(Handle);
        Receive<RetryPublished>(Handle);
        Receive<RetryNotPublished>(Handle);
    }

    public static Props Props(RetrySettings settings, IReadOnlyDictionary<string, RetryPolicy> policies, IActorRef publisher, IActorRef deadStore,
        ActorMqInstruments instruments, IReadOnlySet<string> connectionUsers) =>
        Akka.Actor.Props.Create(() => new RetryActor(settings, policies, publisher, deadStore, instruments, connectionUsers));

    private void Handle(SettleFailure failure)
    {
        var delivery = failure.Delivery;
        var headers = delivery.Properties.Headers;
        var reading = AttemptHeader.Read(headers, _settings.AttemptHeader);
        var policy = _policies[failure.Consumer];
        var failedAt = DateTimeOffset.UtcNow;
        switch (policy.Decide(reading.Retries, failure.Error, failure.Permanent))
        {
            case RetryDecision.RetryIn retry:
                using (var activity = StartActivity("retry", failure, retry.TierQueue))
                    activity?.SetTag("actormq.attempt.next", retry.NextRetries + 1);
                var retryHeaders = FailureHeaders.With(headers, new FailureInfo(failure.Error, failedAt, delivery.Exchange, delivery.RoutingKey)
                    { RetryCopy = FailureHeaders.IsRetryCopy(headers, failure.Queue) }, _settings.ErrorMessageMaxLength);
                AttemptHeader.Write(retryHeaders, _settings.AttemptHeader, retry.NextRetries);
                var properties = MessageEnvelope.CopyForRepublish(delivery.Properties, retryHeaders, _connectionUsers);
                var completion = new TaskCompletionSource<Published>(TaskCreationOptions.RunContinuationsAsynchronously);
                // Straight to the tier queue through the default exchange: when its TTL expires the broker dead-letters
                // it back to this consumer's own queue, never through the original exchange to other groups.
                _publisher.Tell(new PublishRequest("", retry.TierQueue, delivery.Body, properties, Mandatory: true, null, completion));
                completion.Task.PipeTo(Self,
                    success: _ => new RetryPublished(failure, retry),
                    failure: e => new RetryNotPublished(failure, retry, e));
                break;
            case RetryDecision.DeadStore dead:
                using (var activity = StartActivity("dead-letter", failure, null))
                    activity?.SetTag("actormq.dead_letter.reason", dead.Reason);
                var letter = DeadLetterMapping.FromDelivery(failure.Queue, delivery, failure.Error, dead.Attempts, failedAt, _settings.AttemptHeader);
                _deadStore.Tell(new StoreDeadLetter(failure.Consumer, letter, delivery, dead.Reason, failure.ReplyTo));
                break;
        }
    }

    /// <summary>A span in the failed message's own trace: what ActorMq decided about it.</summary>
    private static Activity? StartActivity(string operation, SettleFailure failure, string? tierQueue)
    {
        var parent = MessageEnvelope.ExtractTraceContext(failure.Delivery.Properties.Headers);
        var activity = ActorMqDiagnostics.Source.StartActivity($"{failure.Queue} {operation}", ActivityKind.Internal, parent);
        if (activity is null) return null;
        activity.SetTag("messaging.system", "rabbitmq");
        activity.SetTag("messaging.destination.name", failure.Queue);
        activity.SetTag("messaging.message.id", failure.Delivery.Properties.MessageId);
        activity.SetTag("error.type", failure.Error.GetType().FullName);
        if (tierQueue is not null) activity.SetTag("actormq.retry.tier_queue", tierQueue);
        return activity;
    }

    private void Handle(RetryPublished published)
    {
        var failure = published.Failure;
        _instruments.Retried(failure.Queue);
        Log.RetryScheduled(_log, failure.Consumer, failure.Delivery.Properties.MessageId, published.Retry.TierQueue, published.Retry.NextRetries);
        Context.System.EventStream.Publish(new MessageRetried(failure.Consumer, failure.Queue, failure.Delivery.Properties.MessageId,
            published.Retry.TierQueue, published.Retry.Delay, published.Retry.NextRetries + 1, failure.Error.GetType().FullName ?? ""));
        failure.ReplyTo.Tell(new FailureSettled(failure.Delivery, $"retry via {published.Retry.TierQueue}"));
    }

    private void Handle(RetryNotPublished failed)
    {
        var failure = failed.Failure;
        Log.RetryPublishFailed(_log, failed.Error, failure.Consumer, failure.Delivery.Properties.MessageId, failed.Retry.TierQueue);
        failure.ReplyTo.Tell(new FailureNotSettled(failure.Delivery, failed.Error));
    }

    private sealed record RetryPublished(SettleFailure Failure, RetryDecision.RetryIn Retry);

    private sealed record RetryNotPublished(SettleFailure Failure, RetryDecision.RetryIn Retry, Exception Error);
}

/// <summary>Published on the event stream when a failed message's retry copy was confirmed in its tier queue.</summary>
/// <param name="Consumer">The consumer.</param>
/// <param name="Queue">The consumer's queue.</param>
/// <param name="MessageId">The message id.</param>
/// <param name="TierQueue">The tier queue it waits in.</param>
/// <param name="Delay">The tier's delay.</param>
/// <param name="NextAttempt">The attempt number it will be handled with next (2 for the first retry).</param>
/// <param name="ErrorType">The failure's exception type.</param>
public sealed record MessageRetried(string Consumer, string Queue, string? MessageId, string TierQueue, TimeSpan Delay, int NextAttempt, string ErrorType);
