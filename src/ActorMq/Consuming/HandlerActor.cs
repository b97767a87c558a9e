using System.Diagnostics;
using Akka.Actor;
using ActorMq.Diagnostics;
using ActorMq.Publishing;
using ActorMq.Retry;
using ActorMq.Serialization;
using ActorMq.Settings;

namespace ActorMq.Consuming;

/// <summary>
/// Runs the user's handler for one delivery at a time. Receives <see cref="HandleDelivery"/> from its parent
/// <see cref="ConsumerActor"/> and replies <see cref="HandlerSucceeded"/> or <see cref="HandlerFailed"/>: a thrown
/// exception, a timeout (<c>handler-timeout</c>, after which the handler's token is cancelled), a payload that does
/// not deserialize (permanent), or a crash of the user's handler actor. Supervised by the consumer; never throws
/// for user errors itself.
/// </summary>
internal sealed class HandlerActor : ReceiveActor
{
    private readonly ConsumerSettings _settings;
    private readonly HandlerRegistration _registration;
    private readonly MessageSerializers _serializers;
    private readonly string _attemptHeader;
    private readonly ActorMqInstruments _instruments;
    private Activity? _activity;
    private long _startedAt;
    private Func<object, MessageContext, CancellationToken, Task>? _invoke;
    private IActorRef? _userActor;
    private CancellationTokenSource? _running;
    private Delivery? _current;
    private long _invocation;

    public HandlerActor(ConsumerSettings settings, HandlerRegistration registration, MessageSerializers serializers, string attemptHeader,
        ActorMqInstruments instruments)
    {
        _instruments = instruments;
        _settings = settings;
        _registration = registration;
        _serializers = serializers;
        _attemptHeader = attemptHeader;
        Receive<HandleDelivery>(Handle);
        Receive<Completed>(Handle);
        Receive<UserActorCrashed>(Handle);
    }

    public static Props Props(ConsumerSettings settings, HandlerRegistration registration, MessageSerializers serializers, string attemptHeader,
        ActorMqInstruments instruments) =>
        Akka.Actor.Props.Create(() => new HandlerActor(settings, registration, serializers, attemptHeader, instruments));

    protected override void PreStart()
    {
        switch (_registration)
        {
            case DelegateHandlerRegistration d:
                _invoke = d.CreateInvoker();
                break;
            case ActorHandlerRegistration a:
                _userActor = Context.ActorOf(a.Props, "user");
                break;
            case ActorRefHandlerRegistration r:
                _userActor = r.Handler; // not a child: it is the user's to supervise
                break;
        }
    }

    protected override void PostStop()
    {
        _running?.Cancel();
        _running?.Dispose();
    }

    protected override SupervisorStrategy SupervisorStrategy()
    {
        // A crash of the user's actor fails the message it was handling; the actor restarts for the next one.
        var self = Self;
        return new OneForOneStrategy(-1, Timeout.InfiniteTimeSpan, e =>
        {
            self.Tell(new UserActorCrashed(e));
            return Directive.Restart;
        });
    }

    private void Handle(HandleDelivery request)
    {
        var delivery = request.Delivery;
        _current = delivery;
        var invocation = ++_invocation;
        var previous = Activity.Current;
        _activity = StartProcessActivity(delivery, request.Attempt);
        _startedAt = Stopwatch.GetTimestamp();
        try
        {
            Run(request, delivery, invocation);
        }
        finally
        {
            Activity.Current = previous; // the span travels with the handler's task, not with the actor's thread
        }
    }

    private Activity? StartProcessActivity(Delivery delivery, int attempt)
    {
        if (!ActorMqDiagnostics.Source.HasListeners()) return null; // no tracing configured: no header parsing, no span name
        var parent = MessageEnvelope.ExtractTraceContext(delivery.Properties.Headers);
        var activity = ActorMqDiagnostics.Source.StartActivity($"{_settings.Queue} process", ActivityKind.Consumer, parent);
        if (activity is null) return null;
        activity.SetTag("messaging.system", "rabbitmq");
        activity.SetTag("messaging.operation.type", "process");
        activity.SetTag("messaging.destination.name", _settings.Queue);
        activity.SetTag("messaging.consumer.group.name", _settings.Name);
        activity.SetTag("messaging.message.id", delivery.Properties.MessageId);
        activity.SetTag("messaging.rabbitmq.delivery_tag", delivery.DeliveryTag);
        activity.SetTag("actormq.attempt", attempt);
        return activity;
    }

    private void Run(HandleDelivery request, Delivery delivery, long invocation)
    {
        object message;
        try
        {
            EnsureSize(delivery);
            if (!MessageSerializers.IsRaw(_registration.MessageType) && delivery.Properties.Type is { Length: > 0 } declared
                && !MessageTypeNames.Matches(declared, _registration.MessageType))
                throw new UnknownMessageTypeException(_settings.Name, declared, _registration.MessageType);
            message = _serializers.Deserialize(delivery.Body, delivery.Properties.ContentType, _registration.MessageType, _settings.DefaultContentType);
        }
        catch (PermanentFailureException e)
        {
            Reply(new HandlerFailed(delivery, e, Permanent: true));
            return;
        }

        var context = new MessageContext(_settings.Name, _settings.Queue, delivery, request.Attempt);
        // One token source per handler actor, reset between messages (no timer unless the handler goes asynchronous).
        if (_running is null || !_running.TryReset())
        {
            _running?.Dispose();
            _running = new CancellationTokenSource();
        }
        var token = _running.Token;
        Task work;
        try
        {
            work = _userActor is not null
                ? AskUserActor(_userActor, message, context, _settings.HandlerTimeout, _settings.Name)
                : _invoke!(message, context, token);
        }
        catch (Exception e)
        {
            work = Task.FromException(e);
        }
        if (work.IsCompletedSuccessfully)
        {
            // A handler that finished synchronously: no continuation, no timer, no extra message.
            Handle(new Completed(invocation, null));
            return;
        }
        _running.CancelAfter(_settings.HandlerTimeout);
        WithTimeout(work, _settings.HandlerTimeout, token, _settings.Name, delivery)
            .PipeTo(Self, success: () => new Completed(invocation, null), failure: e => new Completed(invocation, e));
    }

    private void Handle(Completed completed)
    {
        if (completed.Invocation != _invocation || _current is null) return; // a crash already failed it
        var delivery = _current;
        _current = null;
        Reply(completed.Error is null
            ? new HandlerSucceeded(delivery, Stopwatch.GetElapsedTime(_startedAt))
            : new HandlerFailed(delivery, completed.Error, completed.Error is PermanentFailureException));
    }

    private void Handle(UserActorCrashed crashed)
    {
        if (_current is null) return;
        var delivery = _current;
        _current = null;
        _invocation++; // the pending ask's outcome is stale now
        _running?.Cancel();
        Reply(new HandlerFailed(delivery, crashed.Error, crashed.Error is PermanentFailureException));
    }

    private void Reply(object outcome)
    {
        _current = null;
        if (outcome is HandlerFailed failed)
        {
            _activity?.SetStatus(ActivityStatusCode.Error, failed.Error.Message);
            _activity?.AddException(failed.Error);
            _activity?.SetTag("error.type", failed.Error.GetType().FullName);
        }
        else
        {
            _instruments.Handled(_settings.Queue, Stopwatch.GetElapsedTime(_startedAt));
        }
        _activity?.Dispose();
        _activity = null;
        Context.Parent.Tell(outcome, Self);
    }

    private void EnsureSize(Delivery delivery)
    {
        if (delivery.Body.Length > _settings.MaxMessageSize)
            throw new MessageTooLargeException($"queue '{_settings.Queue}' (consumer '{_settings.Name}')", delivery.Body.Length,
                _settings.MaxMessageSize, $"{ConsumerSettings.ConsumersPath}.{_settings.Name}.max-message-size");
    }

    private static async Task AskUserActor(IActorRef actor, object message, MessageContext context, TimeSpan timeout, string consumer)
    {
        object reply;
        try
        {
            reply = await actor.Ask<object>(new MessageReceived(message, context), timeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException e)
        {
            throw new HandlerTimeoutException(consumer, context.MessageId, timeout, e);
        }
        switch (reply)
        {
            case MessageHandled:
                return;
            case Status.Failure failure:
                throw failure.Cause;
            default:
                throw new ActorMqException(
                    $"handler actor {actor.Path} replied {reply.GetType().Name}; expected MessageHandled or Status.Failure");
        }
    }

    private static async Task WithTimeout(Task work, TimeSpan timeout, CancellationToken token, string consumer, Delivery delivery)
    {
        try
        {
            await work.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException e) when (!work.IsCompleted || work.IsCanceled)
        {
            // The wait timed out, not the handler's own code: a TimeoutException it throws is its failure as it is. (The
            // handler's token is cancelled at the same moment: a handler that stopped on it is a timeout too.)
            throw new HandlerTimeoutException(consumer, delivery.Properties.MessageId, timeout, e);
        }
        catch (OperationCanceledException e) when (token.IsCancellationRequested)
        {
            throw new HandlerTimeoutException(consumer, delivery.Properties.MessageId, timeout, e);
        }
    }

    private sealed record Completed(long Invocation, Exception? Error);

    private sealed record UserActorCrashed(Exception Error);
}
