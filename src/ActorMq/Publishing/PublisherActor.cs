using Akka.Actor;
using Akka.Event;
using ActorMq.Connection;
using ActorMq.Settings;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace ActorMq.Publishing;

/// <summary>
/// Publishes with publisher confirms on its own channel of the publishing connection, the mandatory flag on.
/// Receives <see cref="Publish"/> (replying <see cref="Published"/> or <see cref="PublishFailed"/> to the sender)
/// and <see cref="PublishRequest"/> (completing its task). A request completes only on the broker's confirm; an
/// unroutable message fails with <see cref="PublishReturnedException"/>; a nack or a missing confirm is retried with
/// backoff up to <c>retry.max-retries</c>. While the link is down or the broker blocks publishing, requests wait in a
/// buffer of <c>buffer-size</c>; beyond it the caller gets a <see cref="BackPressureException"/> at once, so memory
/// stays bounded. A lost channel is reopened with backoff by the actor itself (it keeps its buffer); a lost
/// connection waits for the supervisor's next <see cref="LinkUp"/>. Child of the connection supervisor; lives as
/// long as ActorMq does.
/// </summary>
internal sealed class PublisherActor : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly PublisherSettings _settings;
    private readonly BackoffSettings _channelRestart;
    private readonly IActorRef _link;
    private readonly Diagnostics.ActorMqInstruments _instruments;
    private readonly LinkedList<PublishRequest> _buffer = new();
    private IChannel? _channel;
    private IConnection? _connection;
    private long _generation;
    private int _inFlight;
    private int _reportedBuffered;
    private static readonly TimeSpan DeadlineBucket = TimeSpan.FromMilliseconds(100);
    private CancellationTokenSource? _deadline;
    private long _deadlineStarted;
    private int _retriesScheduled;
    private int _reopenAttempts;
    private bool _blocked;
    private IActorRef? _flushReplyTo;

    public PublisherActor(PublisherSettings settings, BackoffSettings channelRestart, IActorRef link, Diagnostics.ActorMqInstruments instruments)
    {
        _instruments = instruments;
        _settings = settings;
        _channelRestart = channelRestart;
        _link = link;
        Receive<Publish>(p => Accept(PublishRequest.From(p, Sender)));
        Receive<PublishRequest>(Accept);
        Receive<Confirmed>(Handle);
        Receive<NotConfirmed>(Handle);
        Receive<RetryPublish>(Handle);
        ReceiveAsync<LinkUp>(Handle);
        Receive<LinkDown>(Handle);
        Receive<LinkBlocked>(Handle);
        Receive<ChannelLost>(Handle);
        ReceiveAsync<Reopen>(_ => _connection is { } c ? OpenAsync(c) : Task.CompletedTask);
        Receive<FlushPublisher>(Handle);
        Receive<GetPublisherState>(_ => Sender.Tell(new PublisherState(_channel is not null, _blocked, _buffer.Count, _inFlight)));
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PublisherSettings settings, BackoffSettings channelRestart, IActorRef link, Diagnostics.ActorMqInstruments instruments) =>
        Akka.Actor.Props.Create(() => new PublisherActor(settings, channelRestart, link, instruments));

    protected override void PreStart() => _link.Tell(RequestLink.Instance, Self);

    protected override void PostStop()
    {
        var refused = new ActorMqException("ActorMq stopped before the message was published");
        foreach (var request in _buffer) request.Fail(refused);
        _buffer.Clear();
        ReportBuffered();
        _instruments.AddInFlight(-_inFlight);
        if (_channel is { } channel)
        {
            _channel = null;
            _ = channel.DisposeAsync().AsTask().ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    private bool CanSend => _channel is not null && !_blocked && _inFlight < _settings.MaxInFlight;

    private void Accept(PublishRequest request)
    {
        if (request.Body.Length > _settings.MaxMessageSize)
        {
            request.Fail(new MessageTooLargeException(
                $"the message for exchange '{(request.Exchange.Length == 0 ? "(default)" : request.Exchange)}' (routing key '{request.RoutingKey}')",
                request.Body.Length, _settings.MaxMessageSize, $"{PublisherSettings.Path}.max-message-size"));
            return;
        }
        if (CanSend && _buffer.Count == 0)
        {
            Send(request);
            return;
        }
        if (_buffer.Count >= _settings.BufferSize)
        {
            request.Fail(new BackPressureException(WhyWaiting(), _settings.BufferSize));
            return;
        }
        _buffer.AddLast(request);
        SendBuffered();
    }

    private string WhyWaiting() =>
        _blocked ? "the broker blocks publishing (resource alarm)"
        : _channel is null ? "the broker link is down"
        : $"{_inFlight} messages await their confirms (actormq.publisher.max-in-flight)";

    private void Send(PublishRequest request)
    {
        _inFlight++;
        _instruments.AddInFlight(1);
        if (request.Retries == 0) _instruments.Published(request.Exchange);
        var generation = _generation;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        PublishOnceAsync(_channel!, request, ConfirmDeadline(started))
            .PipeTo(Self, success: () => new Confirmed(request, generation, started), failure: e => new NotConfirmed(request, generation, e));
    }

    /// <summary>
    /// The token that ends the wait for a confirm. Publishes started within the same 100 ms share one token source (one
    /// timer, not one per message); each gets between confirm-timeout and confirm-timeout + 100 ms.
    /// </summary>
    private CancellationToken ConfirmDeadline(long now)
    {
        if (_deadline is null || System.Diagnostics.Stopwatch.GetElapsedTime(_deadlineStarted, now) > DeadlineBucket)
        {
            _deadline = new CancellationTokenSource(_settings.ConfirmTimeout + DeadlineBucket);
            _deadlineStarted = now;
        }
        return _deadline.Token;
    }

    private static async Task PublishOnceAsync(IChannel channel, PublishRequest request, CancellationToken confirmDeadline) =>
        await channel.BasicPublishAsync(request.Exchange, request.RoutingKey, request.Mandatory, request.Properties, request.Body, confirmDeadline)
            .ConfigureAwait(false);

    private void SendBuffered()
    {
        while (CanSend && _buffer.First is { } first)
        {
            _buffer.RemoveFirst();
            Send(first.Value);
        }
        ReportBuffered();
        CheckFlushed();
    }

    private void ReportBuffered()
    {
        _instruments.AddBuffered(_buffer.Count - _reportedBuffered);
        _reportedBuffered = _buffer.Count;
    }

    private void Handle(Confirmed confirmed)
    {
        _inFlight--;
        _instruments.AddInFlight(-1);
        _instruments.Confirmed(confirmed.Request.Exchange, System.Diagnostics.Stopwatch.GetElapsedTime(confirmed.StartedAt));
        confirmed.Request.Complete();
        SendBuffered();
    }

    private void Handle(NotConfirmed failed)
    {
        _inFlight--;
        _instruments.AddInFlight(-1);
        var request = failed.Request;
        switch (failed.Error)
        {
            case PublishException { IsReturn: true }:
                _instruments.Returned(request.Exchange);
                request.Fail(new PublishReturnedException(request.Exchange, request.RoutingKey, 312, "NO_ROUTE"));
                break;
            case AlreadyClosedException or OperationInterruptedException or ObjectDisposedException
                when failed.Generation != _generation || _channel is null || !_channel.IsOpen:
                // The channel died under it: wait in the buffer (first in line) for the reopened channel. Not counted
                // as a retry: this is buffering while the link is down.
                _buffer.AddFirst(request);
                break;
            case PublishException:
                Retry(request, new PublishNackedException(request.Exchange, request.RoutingKey));
                break;
            case OperationCanceledException:
                Retry(request, new PublishConfirmTimeoutException(request.Exchange, request.RoutingKey, _settings.ConfirmTimeout));
                break;
            default:
                Retry(request, failed.Error);
                break;
        }
        SendBuffered();
    }

    private void Retry(PublishRequest request, Exception error)
    {
        if (request.Retries >= _settings.MaxRetries)
        {
            request.Fail(error);
            return;
        }
        var delay = _settings.RetryBackoff.Delay(request.Retries, Random.Shared.NextDouble());
        Log.PublishRetry(_log, error.Message, request.Retries + 1, _settings.MaxRetries, delay);
        _retriesScheduled++;
        Timers.StartSingleTimer(("retry", request.Id), new RetryPublish(request with { Retries = request.Retries + 1 }), delay);
    }

    private void Handle(RetryPublish retry)
    {
        _retriesScheduled--;
        _buffer.AddFirst(retry.Request);
        SendBuffered();
    }

    private async Task Handle(LinkUp link)
    {
        if (ReferenceEquals(_connection, link.PublishConnection) && _channel is not null) return;
        _connection = link.PublishConnection;
        _blocked = false;
        await OpenAsync(link.PublishConnection);
    }

    private async Task OpenAsync(IConnection connection)
    {
        if (!ReferenceEquals(connection, _connection) || _channel is not null) return;
        var generation = ++_generation;
        try
        {
            var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            var self = Self;
            channel.ChannelShutdownAsync += (_, reason) =>
            {
                self.Tell(new ChannelLost(generation, reason));
                return Task.CompletedTask;
            };
            _channel = channel;
            _reopenAttempts = 0;
            Log.PublisherChannelOpened(_log, Self.Path.ToString());
            SendBuffered();
        }
        catch (Exception e) when (connection.IsOpen)
        {
            ScheduleReopen(e.Message);
        }
        catch (Exception e)
        {
            // The connection is going away: the supervisor sends LinkDown, then LinkUp.
            Log.PublisherChannelLost(_log, Self.Path.ToString(), e.Message);
        }
    }

    private void Handle(ChannelLost lost)
    {
        if (lost.Generation != _generation) return;
        _channel = null;
        if (lost.Reason.Initiator == ShutdownInitiator.Application) return; // closed on purpose (shutdown)
        Log.PublisherChannelLost(_log, Self.Path.ToString(), lost.Reason.ReplyText);
        if (_connection is { IsOpen: true }) ScheduleReopen(lost.Reason.ReplyText);
    }

    private void ScheduleReopen(string reason)
    {
        var delay = _channelRestart.Delay(_reopenAttempts++, Random.Shared.NextDouble());
        Log.PublisherReopenScheduled(_log, Self.Path.ToString(), reason, delay);
        Timers.StartSingleTimer("reopen", Reopen.Instance, delay);
    }

    private void Handle(LinkDown down)
    {
        _channel = null;
        _connection = null;
        _generation++;
        Timers.Cancel("reopen");
    }

    private void Handle(LinkBlocked blocked)
    {
        _blocked = blocked.Blocked;
        if (!_blocked) SendBuffered();
    }

    private void Handle(FlushPublisher flush)
    {
        _flushReplyTo = Sender;
        CheckFlushed();
    }

    private void CheckFlushed()
    {
        if (_flushReplyTo is null || _inFlight > 0 || _retriesScheduled > 0 || (_buffer.Count > 0 && _channel is not null)) return;
        _flushReplyTo.Tell(new PublisherFlushed(_buffer.Count));
        _flushReplyTo = null;
    }

    private sealed record Confirmed(PublishRequest Request, long Generation, long StartedAt);

    private sealed record NotConfirmed(PublishRequest Request, long Generation, Exception Error);

    private sealed record RetryPublish(PublishRequest Request);

    private sealed record ChannelLost(long Generation, ShutdownEventArgs Reason);

    private sealed record Reopen
    {
        public static Reopen Instance { get; } = new();
    }
}
