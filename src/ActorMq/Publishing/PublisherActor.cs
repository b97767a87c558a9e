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
/// backoff up to <c>retry.max-retries</c>. The actor tracks confirms itself (RabbitMQ.Client's per-message tracking is
/// off): it numbers its publishes as the channel does, settles a whole range on one multiple ack, and matches a
/// basic.return (which the broker sends before the message's ack) to the oldest unconfirmed publish with its message id,
/// exchange and routing key, so nothing is added to the message's headers. While the link is down or the broker blocks publishing, requests wait in a
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
    // The channel's unconfirmed publishes by sequence number: dense from _oldestSeq up to _nextSeq - 1, less those settled.
    private readonly Dictionary<ulong, Unconfirmed> _unconfirmed = new();
    private ulong _nextSeq;
    private ulong _oldestSeq;
    private IChannel? _channel;
    private IConnection? _connection;
    private long _generation;
    private int _reportedBuffered;
    private int _retriesScheduled;
    private int _reopenAttempts;
    private bool _blocked;
    private IActorRef? _flushReplyTo;
    private string? _linkFailed;

    public PublisherActor(PublisherSettings settings, BackoffSettings channelRestart, IActorRef link, Diagnostics.ActorMqInstruments instruments)
    {
        _instruments = instruments;
        _settings = settings;
        _channelRestart = channelRestart;
        _link = link;
        Receive<Publish>(p => Accept(PublishRequest.From(p, Sender)));
        Receive<PublishRequest>(Accept);
        Receive<Acked>(Handle);
        Receive<Returned>(Handle);
        Receive<SendFailed>(Handle);
        Receive<CheckConfirmTimeouts>(_ => ExpireUnconfirmed());
        Receive<RetryPublish>(Handle);
        ReceiveAsync<LinkUp>(Handle);
        Receive<LinkDown>(Handle);
        Receive<LinkBlocked>(Handle);
        Receive<ChannelLost>(Handle);
        ReceiveAsync<Reopen>(_ => _connection is { } c ? OpenAsync(c) : Task.CompletedTask);
        Receive<FlushPublisher>(Handle);
        Receive<LinkStateChanged>(Handle);
        Receive<GetPublisherState>(_ => Sender.Tell(new PublisherState(_channel is not null, _blocked, _buffer.Count, _unconfirmed.Count)));
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PublisherSettings settings, BackoffSettings channelRestart, IActorRef link, Diagnostics.ActorMqInstruments instruments) =>
        Akka.Actor.Props.Create(() => new PublisherActor(settings, channelRestart, link, instruments));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(LinkStateChanged));
        _link.Tell(RequestLink.Instance, Self);
    }

    protected override void PostStop()
    {
        var refused = new ActorMqException("ActorMq stopped before the message was published");
        foreach (var request in _buffer) request.Fail(refused);
        _buffer.Clear();
        ReportBuffered();
        var unknown = new ActorMqException("ActorMq stopped before the broker confirmed the message: it may or may not have been published");
        foreach (var unconfirmed in _unconfirmed.Values) unconfirmed.Request.Fail(unknown);
        _instruments.AddInFlight(-_unconfirmed.Count);
        _unconfirmed.Clear();
        if (_channel is { } channel)
        {
            _channel = null;
            _ = channel.DisposeAsync().AsTask().ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    private bool CanSend => _channel is not null && !_blocked && _unconfirmed.Count < _settings.MaxInFlight;

    private void Accept(PublishRequest request)
    {
        if (_linkFailed is { } failed)
        {
            request.Fail(new PublishUnavailableException(failed));
            return;
        }
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
        : $"{_unconfirmed.Count} messages await their confirms (actormq.publisher.max-in-flight)";

    private void Send(PublishRequest request)
    {
        var channel = _channel!;
        var seq = _nextSeq++;
        if (_unconfirmed.Count == 0)
        {
            _oldestSeq = seq;
            if (!Timers.IsTimerActive("confirm-timeouts"))
                Timers.StartPeriodicTimer("confirm-timeouts", CheckConfirmTimeouts.Instance, ConfirmCheckInterval);
        }
        _unconfirmed.Add(seq, new Unconfirmed(request, System.Diagnostics.Stopwatch.GetTimestamp()));
        _instruments.AddInFlight(1);
        if (request.Retries == 0) _instruments.Published(request.Exchange);
        ValueTask sent;
        try
        {
            // No cancellation token: a cancelled write would leave the channel's numbering and ours apart.
            sent = channel.BasicPublishAsync(request.Exchange, request.RoutingKey, request.Mandatory, request.Properties, request.Body);
        }
        catch (Exception e)
        {
            sent = ValueTask.FromException(e);
        }
        if (sent.IsCompletedSuccessfully) return;
        var self = Self;
        var generation = _generation;
        sent.AsTask().ContinueWith(t => self.Tell(new SendFailed(generation, seq, t.Exception!.GetBaseException())),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>How often unconfirmed publishes are checked against <c>confirm-timeout</c>.</summary>
    private TimeSpan ConfirmCheckInterval =>
        TimeSpan.FromTicks(Math.Clamp(_settings.ConfirmTimeout.Ticks / 10, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));

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

    private void Handle(Acked acked)
    {
        if (acked.Generation != _generation) return;
        var first = acked.Multiple ? _oldestSeq : acked.Seq;
        var last = Math.Min(acked.Seq, _nextSeq - 1);
        for (var seq = first; seq <= last; seq++)
        {
            if (!_unconfirmed.Remove(seq, out var settled)) continue;
            _instruments.AddInFlight(-1);
            if (settled.ReturnedWith is { } returned)
            {
                _instruments.Returned(settled.Request.Exchange);
                settled.Request.Fail(returned);
            }
            else if (acked.Nack)
            {
                Retry(settled.Request, new PublishNackedException(settled.Request.Exchange, settled.Request.RoutingKey));
            }
            else
            {
                _instruments.Confirmed(settled.Request.Exchange, System.Diagnostics.Stopwatch.GetElapsedTime(settled.StartedAt));
                settled.Request.Complete();
            }
        }
        AfterSettling();
    }

    private void Handle(Returned returned)
    {
        if (returned.Generation != _generation) return;
        // The broker returns an unroutable message before it confirms it, and returns in publish order: the oldest
        // unconfirmed, not yet returned publish with this message id, exchange and routing key is the one. (Two publishes
        // alike in all three route alike, unless a binding changed between them.)
        for (var seq = _oldestSeq; seq < _nextSeq; seq++)
        {
            if (!_unconfirmed.TryGetValue(seq, out var candidate) || candidate.ReturnedWith is not null
                || candidate.Request.MessageId != returned.MessageId || candidate.Request.RoutingKey != returned.RoutingKey
                || candidate.Request.Exchange != returned.Exchange)
                continue;
            candidate.ReturnedWith = new PublishReturnedException(returned.Exchange, returned.RoutingKey, returned.ReplyCode, returned.ReplyText);
            return;
        }
    }

    private void Handle(SendFailed failed)
    {
        if (failed.Generation != _generation) return;
        // A publish the client could not write leaves its sequence number unused, so the numbering of everything after it
        // is unknown: give up this channel and resend the rest on a new one. The failed message's own error counts as a
        // retry unless the channel itself had gone.
        var channelGone = failed.Error is AlreadyClosedException or OperationInterruptedException or ObjectDisposedException
                          || _channel is not { IsOpen: true };
        if (!channelGone && _unconfirmed.Remove(failed.Seq, out var poisoned))
        {
            _instruments.AddInFlight(-1);
            Retry(poisoned.Request, failed.Error);
        }
        Log.PublisherChannelLost(_log, Self.Path.ToString(), $"a publish could not be written: {failed.Error.Message}");
        var channel = _channel;
        LoseChannel();
        if (channel is not null) _ = channel.DisposeAsync().AsTask().ContinueWith(static _ => { }, TaskScheduler.Default);
        if (_connection is { IsOpen: true }) ScheduleReopen(failed.Error.Message);
    }

    /// <summary>Confirms that did not come within <c>confirm-timeout</c>: the publishes are retried (from the oldest on).</summary>
    private void ExpireUnconfirmed()
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        for (; _oldestSeq < _nextSeq; _oldestSeq++)
        {
            if (!_unconfirmed.TryGetValue(_oldestSeq, out var oldest)) continue;
            if (System.Diagnostics.Stopwatch.GetElapsedTime(oldest.StartedAt, now) < _settings.ConfirmTimeout) break;
            _unconfirmed.Remove(_oldestSeq);
            _instruments.AddInFlight(-1);
            Retry(oldest.Request, new PublishConfirmTimeoutException(oldest.Request.Exchange, oldest.Request.RoutingKey, _settings.ConfirmTimeout));
        }
        AfterSettling();
    }

    private void AfterSettling()
    {
        while (_oldestSeq < _nextSeq && !_unconfirmed.ContainsKey(_oldestSeq)) _oldestSeq++;
        if (_unconfirmed.Count == 0) Timers.Cancel("confirm-timeouts");
        SendBuffered();
    }

    /// <summary>
    /// The channel is gone (or given up): its unconfirmed publishes go back to the front of the buffer, in their order, to
    /// be sent on the next channel. Not counted as retries: this is buffering while the link is down.
    /// </summary>
    private void LoseChannel()
    {
        _channel = null;
        _generation++;
        _instruments.AddInFlight(-_unconfirmed.Count);
        for (var seq = _nextSeq; seq > _oldestSeq && _unconfirmed.Count > 0;)
        {
            seq--;
            if (_unconfirmed.Remove(seq, out var unconfirmed)) _buffer.AddFirst(unconfirmed.Request with { Sent = true });
        }
        Timers.Cancel("confirm-timeouts");
        ReportBuffered();
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
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: false));
            var self = Self;
            channel.ChannelShutdownAsync += (_, reason) =>
            {
                self.Tell(new ChannelLost(generation, reason));
                return Task.CompletedTask;
            };
            channel.BasicAcksAsync += (_, e) =>
            {
                self.Tell(new Acked(generation, e.DeliveryTag, e.Multiple, Nack: false));
                return Task.CompletedTask;
            };
            channel.BasicNacksAsync += (_, e) =>
            {
                self.Tell(new Acked(generation, e.DeliveryTag, e.Multiple, Nack: true));
                return Task.CompletedTask;
            };
            channel.BasicReturnAsync += (_, e) =>
            {
                self.Tell(new Returned(generation, e.BasicProperties.MessageId ?? "", e.Exchange, e.RoutingKey, e.ReplyCode, e.ReplyText));
                return Task.CompletedTask;
            };
            _channel = channel;
            _nextSeq = 1; // confirm.select numbers a channel's publishes from 1
            _oldestSeq = 1;
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
        var refusal = PublishRefusal.From(lost.Reason);
        LoseChannel();
        if (refusal is not null) FailRefused(refusal);
        if (lost.Reason.Initiator == ShutdownInitiator.Application) return; // closed on purpose (shutdown)
        Log.PublisherChannelLost(_log, Self.Path.ToString(), lost.Reason.ReplyText);
        if (_connection is { IsOpen: true }) ScheduleReopen(lost.Reason.ReplyText);
    }

    /// <summary>
    /// The broker closed the channel refusing a publish (a missing exchange, no write permission, a <c>user_id</c> that is
    /// not the connection's user, a message over its size limit): sending it again cannot help, so the publishes it names
    /// — now at the front of the buffer — fail at once with <see cref="PublishRefusedException"/>, and the rest go out on
    /// the next channel. A refusal that names no publish counts one retry for each publish that was in flight, so a
    /// message the broker keeps refusing ends after <c>retry.max-retries</c> instead of stalling the buffer for ever.
    /// </summary>
    private void FailRefused(PublishRefusal refusal)
    {
        for (var node = _buffer.First; node is not null;)
        {
            var next = node.Next;
            var request = node.Value;
            if (refusal.Names(request))
            {
                _buffer.Remove(node);
                request.Fail(refusal.ToException(request));
            }
            else if (!refusal.NamesAny && request.Sent)
            {
                _buffer.Remove(node);
                Retry(request with { Sent = false }, refusal.ToException(request));
            }
            node = next;
        }
        ReportBuffered();
    }

    private void ScheduleReopen(string reason)
    {
        var delay = _channelRestart.Delay(_reopenAttempts++, Random.Shared.NextDouble());
        Log.PublisherReopenScheduled(_log, Self.Path.ToString(), reason, delay);
        Timers.StartSingleTimer("reopen", Reopen.Instance, delay);
    }

    private void Handle(LinkDown down)
    {
        LoseChannel();
        _connection = null;
        Timers.Cancel("reopen");
    }

    private void Handle(LinkBlocked blocked)
    {
        _blocked = blocked.Blocked;
        if (!_blocked) SendBuffered();
    }

    /// <summary>
    /// A <c>Failed</c> link is given up on (no reconnect follows): what waits in the buffer, and every publish until the link
    /// is connected again, fails at once instead of waiting for ever.
    /// </summary>
    private void Handle(LinkStateChanged changed)
    {
        if (changed.State != LinkState.Failed)
        {
            _linkFailed = null;
            return;
        }
        _linkFailed = $"the broker link failed, nothing can be published: {changed.Reason}";
        var error = new PublishUnavailableException(_linkFailed);
        foreach (var request in _buffer) request.Fail(error);
        _buffer.Clear();
        ReportBuffered();
        CheckFlushed();
    }

    private void Handle(FlushPublisher flush)
    {
        _flushReplyTo = Sender;
        CheckFlushed();
    }

    private void CheckFlushed()
    {
        if (_flushReplyTo is null || _unconfirmed.Count > 0 || _retriesScheduled > 0 || (_buffer.Count > 0 && _channel is not null)) return;
        _flushReplyTo.Tell(new PublisherFlushed(_buffer.Count));
        _flushReplyTo = null;
    }

    /// <summary>A publish awaiting its confirm; <see cref="ReturnedWith"/> is set when the broker returned it first.</summary>
    private sealed class Unconfirmed(PublishRequest request, long startedAt)
    {
        public PublishRequest Request { get; } = request;

        public long StartedAt { get; } = startedAt;

        public PublishReturnedException? ReturnedWith { get; set; }
    }

    /// <summary>basic.ack or basic.nack on the channel of <paramref name="Generation"/>.</summary>
    private sealed record Acked(long Generation, ulong Seq, bool Multiple, bool Nack);

    private sealed record Returned(long Generation, string MessageId, string Exchange, string RoutingKey, ushort ReplyCode, string ReplyText);

    private sealed record SendFailed(long Generation, ulong Seq, Exception Error);

    private sealed record CheckConfirmTimeouts
    {
        public static CheckConfirmTimeouts Instance { get; } = new();
    }

    private sealed record RetryPublish(PublishRequest Request);

    private sealed record ChannelLost(long Generation, ShutdownEventArgs Reason);

    private sealed record Reopen
    {
        public static Reopen Instance { get; } = new();
    }
}
