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
/// for user errors itself, and a crash of its own fails the delivery it held, so the slot is never lost.
/// A handler that blocks its thread past <c>handler-timeout</c> is caught by a watchdog: the delivery fails with a
/// <see cref="HandlerTimeoutException"/> and the reply is marked <c>Retired</c>, so the consumer puts a fresh handler in
/// this one's place (which stops once the blocked call returns). An actor handler that timed out is replaced too, so
/// the next delivery's timeout does not start while the old one is still busy.
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
    // The invocation whose synchronous call is on this actor's thread (0: none; -1: claimed by the watchdog).
    private long _blocking;
    private Timer? _watchdog;
    private int _userIncarnation;

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
                StartWatchdog();
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
        _watchdog?.Dispose();
        _running?.Cancel();
        _running?.Dispose();
    }

    protected override void PreRestart(Exception reason, object message)
    {
        // A bug of ours (or a serializer's non-permanent exception) crashed this actor: fail the delivery it held, or
        // the consumer would wait for a reply that never comes and the slot would be gone.
        if (_current is { } delivery) Reply(new HandlerFailed(delivery, reason, Permanent: false));
        base.PreRestart(reason, message);
    }

    /// <summary>
    /// Checks, from a timer thread, whether a handler's synchronous call has held this actor's thread past
    /// <c>handler-timeout</c>. Then the delivery fails as timed out (the handler's token is cancelled) and the consumer
    /// replaces this handler; the actor itself stops when the call returns.
    /// </summary>
    private void StartWatchdog()
    {
        var timeout = _settings.HandlerTimeout;
        var period = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));
        var (self, parent) = (Self, Context.Parent);
        _watchdog = new Timer(_ =>
        {
            var invocation = Volatile.Read(ref _blocking);
            if (invocation <= 0 || Stopwatch.GetElapsedTime(Volatile.Read(ref _startedAt)) < timeout) return;
            if (Interlocked.CompareExchange(ref _blocking, -1, invocation) != invocation) return;
            // The call is still on the actor's thread, so what it was started with stays as it was.
            var delivery = _current!;
            try { _running?.Cancel(); }
            catch (ObjectDisposedException) { /* stopping */ }
            var error = new HandlerTimeoutException(_settings.Name, delivery.Properties.MessageId, timeout,
                new TimeoutException($"the handler blocked its thread for more than {timeout.TotalMilliseconds:0} ms; it is replaced by a fresh handler"));
            parent.Tell(new HandlerFailed(delivery, error, Permanent: false, Retired: true), self);
        }, null, period, period);
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
        Volatile.Write(ref _startedAt, Stopwatch.GetTimestamp());
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
        if (_userActor is not null)
        {
            work = AskUserActor(_userActor, message, context, _settings.HandlerTimeout, _settings.Name);
        }
        else
        {
            Volatile.Write(ref _blocking, invocation);
            try
            {
                work = _invoke!(message, context, token);
            }
            catch (Exception e)
            {
                work = Task.FromException(e);
            }
            if (Interlocked.Exchange(ref _blocking, 0) != invocation)
            {
                // The watchdog failed this delivery while the call blocked, and the consumer has a new handler in our place.
                _current = null;
                _activity?.SetStatus(ActivityStatusCode.Error, "handler blocked past handler-timeout");
                _activity?.Dispose();
                _activity = null;
                Context.Stop(Self);
                return;
            }
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
        if (completed.Error is HandlerTimeoutException && _registration is ActorHandlerRegistration actor && _userActor is not null)
        {
            // The user's actor may still be busy with this message: the next one goes to a fresh instance, so its
            // timeout does not start while it waits behind the late one.
            Context.Stop(_userActor);
            _userActor = Context.ActorOf(actor.Props, $"user-{++_userIncarnation}");
        }
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
