using ActorMq.Connection;
using ActorMq.Consuming;
using ActorMq.DeadStore;
using ActorMq.Retry;
using ActorMq.Serialization;
using ActorMq.Settings;
using ActorMq.Topology;
using Akka;
using Akka.Actor;
using Akka.Event;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ActorMq.Streams;

/// <summary>
/// The consumer behind one materialized <see cref="ActorMqSource.Committable{T}"/>: a channel owner of ActorMq's connection
/// supervisor (registered with <see cref="RegisterChannelOwner"/>, so it shares the consuming connection and gets every
/// <see cref="LinkUp"/> / <see cref="LinkDown"/>). On each link it declares its queue and retry tiers, opens a channel with
/// the consumer's <c>prefetch</c> and consumes with manual ack; each delivery (body copied, deserialized) goes to the stage
/// (<see cref="Emit"/>), which buffers at most what the broker's prefetch lets through. Settle requests
/// (<see cref="Settlement"/>) are acked with <see cref="AckTracker"/>'s exact <c>multiple</c> coalescing; failures and
/// permanent rejects go to ActorMq's retry actor (<see cref="SettleFailure"/>) and are acked only on
/// <see cref="FailureSettled"/>. A lost channel or connection completes every open settle of that channel with
/// <see cref="SettleOutcome.WillBeRedelivered"/>, tells the stage to drop its buffered elements of that channel
/// (<see cref="ChannelGone"/>) and opens a new channel (with <c>channel-restart</c> backoff, or on the next link).
/// <see cref="StopConsuming"/> cancels the broker consumer and completes the stage; once the stream is finished and its
/// elements settled (when the stream ended by itself, within <c>drain-timeout</c>), or on <see cref="ShutdownConsumer"/>, it
/// flushes its acks, closes the channel (the broker redelivers what is unsettled) and stops. A top-level actor started by the stage; it watches the stage.
/// With <c>circuit-breaker.enabled</c> the settles feed the consumer's breaker through the same <see cref="BreakerGate{TFailure}"/>
/// as the actor consumer's: a failure first waits as a suspect (its settle pending); when the breaker opens the actor cancels its
/// broker consumer, takes back what the stage had not emitted (<see cref="ReturnBuffered"/>) and holds it unacked with the
/// suspects and later failures, whose settles report <see cref="SettleOutcome.HeldByBreaker"/> — no retry tier, no attempt
/// counted; half-open emits one held delivery again as the probe, and its ack closes the breaker and emits the rest.
/// </summary>
internal sealed class CommittableConsumerActor : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _root;
    private readonly ExternalConsumer _consumer;
    private readonly ActorMqClient _client;
    private readonly ConsumerSettings _settings;
    private readonly RetrySettings _retry;
    private readonly BackoffSettings _channelRestart;
    private readonly MessageSerializers _serializers;
    private readonly Diagnostics.ActorMqInstruments _instruments;
    private readonly SourceHandle _handle;
    private readonly IActorRef _stage;
    private readonly Type _messageType;
    private readonly Func<object, MessageContext, Delivery, ICommittableElement> _create;
    private readonly AckTracker _acks = new();
    private readonly Dictionary<ulong, Settlement> _unwritten = [];
    private readonly Dictionary<ulong, Settlement> _failing = [];
    private readonly List<IActorRef> _stopWaiters = [];
    private IChannel? _channel;
    private IConnection? _connection;
    private string? _consumerTag;
    private long _generation;
    private Task _acking = Task.CompletedTask;
    private int _reopenAttempts;
    // Failures that could not be made durable yet, held unacked and started again after a backoff of their own.
    private HeldSettles<Settlement> _held = null!;
    private readonly string? _parkedQueue;
    private bool _stopping;
    private bool _cancelled;
    private bool _streamFinished;
    private bool _stoppedByControl;
    private bool _shutdownRequested;
    private bool _closing;
    // The circuit breaker's holds, suspects and probe (circuit-breaker.enabled), and whether the broker consumer is cancelled by it.
    private BreakerGate<Settlement>? _breaker;

    public CommittableConsumerActor(ActorMqClient client, ExternalConsumer consumer, SourceHandle handle, IActorRef stage, Type messageType,
        Func<object, MessageContext, Delivery, ICommittableElement> create)
    {
        _client = client;
        _root = client.Root;
        _consumer = consumer;
        _settings = consumer.Settings;
        _retry = client.Settings.Retry;
        _parkedQueue = client.Settings.Names.ParkedQueue(consumer.Settings.Queue);
        _channelRestart = client.Settings.Connection.ChannelRestart;
        _serializers = client.Serializers;
        _instruments = client.Instruments;
        _handle = handle;
        _stage = stage;
        _messageType = messageType;
        _create = create;

        ReceiveAsync<LinkUp>(HandleAsync);
        Receive<LinkDown>(down => LoseChannel($"the connection was lost ({down.Reason})", reopen: false));
        Receive<Delivery>(Handle);
        Receive<ParkedDelivery>(Handle);
        Receive<SettleAgain<Settlement>>(Handle);
        Receive<SettleTimedOut>(Handle);
        Receive<Settlement>(Handle);
        Receive<FailureSettled>(Handle);
        Receive<FailureNotSettled>(Handle);
        Receive<RequeueNow>(Handle);
        Receive<FlushAcks>(_ => Flush());
        Receive<ChannelLost>(Handle);
        Receive<BrokerCancelled>(Handle);
        Receive<AckFailed>(Handle);
        ReceiveAsync<Reopen>(_ => _channel is null && !_stopping && _connection is { IsOpen: true } c ? OpenAsync(c) : Task.CompletedTask);
        Receive<StopConsuming>(_ => Stop(Sender));
        Receive<ConsumerCancelled>(_ => ConsumerCancelledOk());
        Receive<StreamFinished>(Handle);
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_stage) && !_streamFinished) Handle(new StreamFinished([]));
        });
        Receive<ShutdownConsumer>(_ =>
        {
            _shutdownRequested = true;
            Stop(null);
            CheckFinished();
        });
        Receive<DrainTimedOut>(_ =>
        {
            _log.Warning("Stream source of consumer {0} (queue {1}): {2} deliveries were not settled within drain-timeout {3}; they will be redelivered",
                _settings.Name, _settings.Queue, _acks.RunningCount, _settings.DrainTimeout);
            Close();
        });
        Receive<ChannelClosed>(_ => Context.Stop(Self));
        Receive<BreakerGateChanged>(_ => ApplyBreakerState());
        Receive<BreakerSuspectsExpired>(_ => StartFailures(_breaker?.ReleaseSuspects() ?? []));
        Receive<BreakerHeldCheck>(_ => GiveBackHeldTooLong());
        Receive<BufferReturned>(Handle);
        Receive<ConsumeResumed>(Handle);
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ActorMqClient client, ExternalConsumer consumer, SourceHandle handle, IActorRef stage, Type messageType,
        Func<object, MessageContext, Delivery, ICommittableElement> create) =>
        Akka.Actor.Props.Create(() => new CommittableConsumerActor(client, consumer, handle, stage, messageType, create));

    protected override void PreStart()
    {
        _held = new HeldSettles<Settlement>(_retry, Timers);
        if (_handle.Stopped.IsCompleted)
        {
            // Restarted after a crash: the first incarnation closed its channel and completed every settle; this source is over.
            Context.Stop(Self);
            return;
        }
        if (_settings.CircuitBreaker.Enabled)
            _breaker = new BreakerGate<Settlement>(_settings, _consumer.Policy.IsPermanent, Self, Context.System, Timers, _log, _client.Instruments);
        Context.Watch(_stage);
        _root.Tell(new RegisterChannelOwner(Self));
    }

    protected override void PostStop()
    {
        if (_channel is { } channel)
        {
            _channel = null;
            _ = CloseChannelAsync(channel, _acking, _log, _settings.Queue);
        }
        _handle.Close();
    }

    private async Task HandleAsync(LinkUp link)
    {
        if (_closing) return;
        if (ReferenceEquals(link.ConsumeConnection, _connection) && _channel is not null) return;
        if (_channel is not null) LoseChannel("a new connection replaced the old one", reopen: false);
        _connection = link.ConsumeConnection;
        if (_stopping)
        {
            CheckFinished();
            return;
        }
        await OpenAsync(link.ConsumeConnection);
    }

    private async Task OpenAsync(IConnection connection)
    {
        var generation = ++_generation;
        IChannel? channel = null;
        try
        {
            // The queue may have been deleted under us: declare what this consumer needs, every time.
            var result = await TopologyApplier.For(connection).ApplyAsync(_consumer.Topology, CancellationToken.None);
            if (result.Failures.Count > 0) throw result.Failures[0].Error;
            channel = await connection.CreateChannelAsync();
            await channel.BasicQosAsync(0, _settings.Prefetch, global: false);
            var self = Self;
            channel.ChannelShutdownAsync += (_, reason) =>
            {
                self.Tell(new ChannelLost(generation, reason));
                return Task.CompletedTask;
            };
            // An open breaker stays open across channels: the new channel consumes once a probe may go through.
            var paused = _breaker?.PauseOnNewChannel() ?? false;
            _consumerTag = paused ? null : await channel.BasicConsumeAsync(_settings.Queue, autoAck: false, new DeliveryForwarder(channel, self, generation));
            // What the broker dead-lettered from the work queue goes to the dead store, never into the stream.
            if (_parkedQueue is not null)
                await channel.BasicConsumeAsync(_parkedQueue, autoAck: false, new DeliveryForwarder(channel, self, generation, parked: true));
        }
        catch (Exception e)
        {
            if (channel is not null) await DisposeQuietlyAsync(channel);
            if (!connection.IsOpen)
            {
                // The connection went while opening: the supervisor reconnects and sends the next LinkUp.
                _log.Info("Stream source of consumer {0} could not open queue {1}: the connection closed ({2})", _settings.Name, _settings.Queue, e.Message);
                return;
            }
            _log.Warning("Stream source of consumer {0} could not open queue {1}: {2}", _settings.Name, _settings.Queue, e.Message);
            ScheduleReopen();
            return;
        }
        _channel = channel;
        _acks.Reset();
        _acking = Task.CompletedTask;
        _reopenAttempts = 0;
        _log.Info("Stream source of consumer {0} consumes queue {1} (prefetch {2})", _settings.Name, _settings.Queue, _settings.Prefetch);
        Context.System.EventStream.Publish(new ConsumerStateChanged(_settings.Name, _settings.Queue, Consuming: true));
        TryProbe(); // half-open on a new channel: consume to get the probe
    }

    private void Handle(Delivery delivery)
    {
        if (delivery.Generation != _generation || _channel is null) return;
        _instruments.Consumed(_settings.Queue);
        _acks.Track(delivery.DeliveryTag);
        if (_stopping)
        {
            // Arrived after basic.cancel was sent: straight back to the broker.
            _acks.Complete(delivery.DeliveryTag, AckOutcome.Requeue);
            Flush();
            return;
        }
        if (_breaker is { } breaker && breaker.HoldArrival(delivery)) TryProbe();
        else EmitDelivery(delivery);
    }

    private void Handle(ParkedDelivery parked)
    {
        var delivery = parked.Delivery;
        if (delivery.Generation != _generation || _channel is null) return;
        _acks.Track(delivery.DeliveryTag);
        if (_stopping)
        {
            _acks.Complete(delivery.DeliveryTag, AckOutcome.Requeue);
            Flush();
            return;
        }
        var (original, error) = BrokerDeath.Park(delivery, _settings.Queue);
        _log.Warning("Stream source of consumer {0}: the broker dead-lettered message {1} from queue {2} ({3}); it goes to the dead store",
            _settings.Name, delivery.Properties.MessageId, _settings.Queue, error.Reason);
        StartFailure(new Settlement(original, SettleKind.Reject, error)); // no element: nobody waits on this settle
    }

    /// <summary>Deserializes a delivery and sends it to the stage as a new element (again, for one the breaker held).</summary>
    private void EmitDelivery(Delivery delivery)
    {
        var reading = AttemptHeader.Read(delivery.Properties.Headers, _retry.AttemptHeader);
        var context = new MessageContext(_settings.Name, _settings.Queue, delivery, reading.Attempt);
        object message;
        try
        {
            if (delivery.Body.Length > _settings.MaxMessageSize)
                throw new MessageTooLargeException($"queue '{_settings.Queue}' (consumer '{_settings.Name}')", delivery.Body.Length,
                    _settings.MaxMessageSize, $"{ConsumerSettings.ConsumersPath}.{_settings.Name}.max-message-size");
            if (!MessageSerializers.IsRaw(_messageType) && delivery.Properties.Type is { Length: > 0 } declared
                && !MessageTypeNames.Matches(declared, _messageType))
                throw new UnknownMessageTypeException(_settings.Name, declared, _messageType);
            message = _serializers.Deserialize(delivery.Body, delivery.Properties.ContentType, _messageType, _settings.DefaultContentType);
        }
        catch (PermanentFailureException e)
        {
            // Never emitted: a message the stream cannot read goes to the dead store as a handler's would.
            CountFailure(e);
            StartFailure(new Settlement(delivery, SettleKind.Reject, e));
            return;
        }
        _stage.Tell(new Emit(_create(message, context, delivery)));
    }

    private void Handle(Settlement settlement)
    {
        var delivery = settlement.Delivery;
        if (delivery.Generation != _generation || _channel is null || _closing)
        {
            _handle.Complete(settlement, SettleOutcome.WillBeRedelivered);
            return;
        }
        switch (settlement.Kind)
        {
            case SettleKind.Ack:
                // The downstream works: suspected failures were the messages' own.
                if (_breaker is { } breaker) StartFailures(breaker.Succeeded(delivery, settlement.Elapsed));
                Complete(settlement, AckOutcome.Ack, SettleOutcome.Acked);
                if (ReplayLineage.Of(delivery.Properties.Headers) is { } lineage) _root.Tell(new ReplayedCopyHandled(lineage.Store, lineage.Id));
                break;
            case SettleKind.Requeue:
                _breaker?.ForgetProbe(delivery);
                Complete(settlement, AckOutcome.Requeue, SettleOutcome.Requeued);
                break;
            default:
                CountFailure(settlement.Error!);
                Fail(settlement);
                break;
        }
        ApplyBreakerState();
    }

    /// <summary>A failure settle: the ordinary way, or through the breaker (a suspect, or held while it is open).</summary>
    private void Fail(Settlement settlement)
    {
        if (_breaker is not { } breaker)
        {
            StartFailure(settlement);
            return;
        }
        if (_stopping && !breaker.IsClosed)
        {
            // Stopping with the downstream down: nothing would emit a held delivery again, give it back without an attempt.
            breaker.ForgetProbe(settlement.Delivery);
            Complete(settlement, AckOutcome.Requeue, SettleOutcome.Requeued);
            return;
        }
        switch (breaker.Failed(settlement.Delivery, settlement, settlement.Error!, markedPermanent: settlement.Kind == SettleKind.Reject))
        {
            case BreakerVerdict.Settle:
                StartFailure(settlement);
                break;
            case BreakerVerdict.Held:
                _handle.Complete(settlement, SettleOutcome.HeldByBreaker); // unacked: the source emits the delivery again
                break;
            // A suspect: its settle waits until a success releases it, `within` passes, or the breaker opens.
        }
    }

    private void CountFailure(Exception error) => _instruments.Failed(_settings.Queue, error.GetType().FullName ?? error.GetType().Name);

    private void StartFailures(IReadOnlyList<Settlement> settlements)
    {
        foreach (var settlement in settlements) StartFailure(settlement);
    }

    private void StartFailure(Settlement settlement)
    {
        var error = settlement.Error!;
        _failing[settlement.Delivery.DeliveryTag] = settlement;
        _root.Tell(new SettleFailure(_settings.Name, _settings.Queue, settlement.Delivery, error, settlement.Kind == SettleKind.Reject, Self), Self);
        // No answer in time (a publish or a store write that hangs) counts as not settled: held and tried again.
        _held.Started(settlement.Delivery);
    }

    private void Handle(SettleTimedOut timedOut)
    {
        var delivery = timedOut.Delivery;
        if (delivery.Generation != _generation || _held.AwaitsRetry(delivery)) return;
        Handle(new FailureNotSettled(delivery, _held.TimeoutError(delivery)));
    }

    private void Handle(FailureSettled settled)
    {
        if (settled.Delivery.Generation != _generation || !_failing.Remove(settled.Delivery.DeliveryTag, out var settlement)) return;
        _held.Release(settled.Delivery);
        Complete(settlement, AckOutcome.Ack,
            settled.Outcome.StartsWith("retry", StringComparison.Ordinal) ? SettleOutcome.Retried : SettleOutcome.DeadLettered);
    }

    private void Handle(FailureNotSettled notSettled)
    {
        var delivery = notSettled.Delivery;
        if (delivery.Generation != _generation || !_failing.TryGetValue(delivery.DeliveryTag, out var settlement)) return;
        _held.Answered(delivery);
        // Nothing durable happened: hold the delivery unacked and try again after a backoff of its own (a requeue would
        // spend a quorum queue's delivery limit); past retry.settle-hold, or when stopping, give it back.
        if (_held.Hold(delivery, settlement, giveBack: _stopping || _shutdownRequested, out _) is not { } retry)
        {
            _log.Warning(notSettled.Reason, "Stream source of consumer {0} gives message {1} back to its queue: its failure could not be made durable",
                _settings.Name, delivery.Properties.MessageId);
            Handle(new RequeueNow(delivery));
            return;
        }
        _log.Warning(notSettled.Reason, "Stream source of consumer {0} holds message {1} unacked and settles its failure again in {2} (try {3}): it could not be made durable",
            _settings.Name, delivery.Properties.MessageId, retry.Delay, retry.Try);
    }

    private void Handle(SettleAgain<Settlement> again)
    {
        var delivery = again.Delivery;
        if (delivery.Generation != _generation || !_failing.ContainsKey(delivery.DeliveryTag)) return;
        if (_stopping || _shutdownRequested)
        {
            _held.Release(delivery);
            Handle(new RequeueNow(delivery));
            return;
        }
        StartFailure(again.Failure);
    }

    private void Handle(RequeueNow requeue)
    {
        if (requeue.Delivery.Generation != _generation || !_failing.Remove(requeue.Delivery.DeliveryTag, out var settlement)) return;
        Complete(settlement, AckOutcome.Requeue, SettleOutcome.Requeued);
    }

    /// <summary>Records the outcome; the settle completes when the frame that settles it is written.</summary>
    private void Complete(Settlement settlement, AckOutcome ack, SettleOutcome outcome)
    {
        settlement.Outcome = outcome;
        _acks.Complete(settlement.Delivery.DeliveryTag, ack);
        _unwritten[settlement.Delivery.DeliveryTag] = settlement;
        if (_acks.RunningCount == 0 || _stopping)
        {
            // Nothing else unsettled (or stopping): nothing more comes before these are acked.
            Flush();
        }
        else
        {
            Send(_acks.FlushDue(_settings.AckBatchSize));
            if (_acks.PendingCount > 0 && !Timers.IsTimerActive("flush"))
                Timers.StartSingleTimer("flush", FlushAcks.Instance, _settings.AckFlushInterval);
        }
        CheckFinished();
    }

    private void Flush()
    {
        Timers.Cancel("flush");
        if (_channel is null || _acks.PendingCount == 0) return;
        Send(_acks.Flush());
    }

    private void Send(IReadOnlyList<AckCommand> commands)
    {
        if (commands.Count == 0 || _channel is null) return;
        var settled = new List<Settlement>();
        foreach (var command in commands)
        {
            if (command.Multiple)
            {
                foreach (var tag in _unwritten.Keys.Where(t => t <= command.DeliveryTag).ToList())
                {
                    settled.Add(_unwritten[tag]);
                    _unwritten.Remove(tag);
                }
            }
            else if (_unwritten.Remove(command.DeliveryTag, out var one))
            {
                settled.Add(one);
            }
        }
        _acking = WriteAsync(_acking, _channel, commands, settled, _handle, Self, _generation);
    }

    /// <summary>Frames go out strictly in order (a multiple ack must never overtake a single one it covers); then their settles complete.</summary>
    private static async Task WriteAsync(Task previous, IChannel channel, IReadOnlyList<AckCommand> commands, List<Settlement> settled,
        SourceHandle handle, IActorRef self, long generation)
    {
        await previous.ConfigureAwait(false);
        try
        {
            foreach (var command in commands)
            {
                if (command.Outcome == AckOutcome.Ack)
                    await channel.BasicAckAsync(command.DeliveryTag, command.Multiple).ConfigureAwait(false);
                else
                    await channel.BasicNackAsync(command.DeliveryTag, multiple: false, requeue: true).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            foreach (var settlement in settled) handle.Complete(settlement, SettleOutcome.WillBeRedelivered);
            self.Tell(new AckFailed(generation, e));
            return;
        }
        foreach (var settlement in settled) handle.Complete(settlement, settlement.Outcome);
    }

    private void Handle(ChannelLost lost)
    {
        if (lost.Generation != _generation || _channel is null) return;
        if (_connection is { IsOpen: false })
        {
            // The whole connection went: the supervisor reconnects and sends LinkDown / LinkUp.
            LoseChannel(lost.Reason.ReplyText, reopen: false);
            return;
        }
        LoseChannel($"the channel closed: {AmqpFailureClassifier.FromReply(lost.Reason).Reason}", reopen: true);
    }

    private void Handle(BrokerCancelled cancelled)
    {
        if (cancelled.Generation != _generation || _stopping) return; // our own basic.cancel reports here too
        LoseChannel($"the broker cancelled the consumer of queue '{_settings.Queue}' (queue deleted or node down)", reopen: true);
    }

    private void Handle(AckFailed failed)
    {
        if (failed.Generation != _generation) return;
        LoseChannel($"acknowledging on queue '{_settings.Queue}' failed: {failed.Error.Message}", reopen: _connection is { IsOpen: true });
    }

    /// <summary>
    /// The channel is gone (or must go): its unsettled deliveries will be redelivered by the broker, so every open settle of it
    /// reports <see cref="SettleOutcome.WillBeRedelivered"/> and the stage drops what it buffered from it.
    /// </summary>
    private void LoseChannel(string reason, bool reopen)
    {
        if (_closing) return;
        var channel = _channel;
        var generation = _generation;
        _channel = null;
        _consumerTag = null;
        if (!reopen) _connection = null;
        _generation++;
        var suspects = _breaker?.Clear().Suspects ?? []; // held and suspected deliveries are the channel's: redelivered
        foreach (var settlement in _unwritten.Values.Concat(_failing.Values).Concat(suspects)) _handle.Complete(settlement, SettleOutcome.WillBeRedelivered);
        _unwritten.Clear();
        _failing.Clear();
        _held.Clear();
        _acks.Reset();
        Timers.Cancel("flush");
        if (channel is not null)
        {
            _log.Warning("Stream source of consumer {0} (queue {1}) lost its channel: {2}; unsettled deliveries will be redelivered",
                _settings.Name, _settings.Queue, reason);
            Context.System.EventStream.Publish(new ConsumerStateChanged(_settings.Name, _settings.Queue, Consuming: false, reason));
            _ = CloseChannelAsync(channel, _acking, _log, _settings.Queue);
        }
        _acking = Task.CompletedTask;
        if (!_streamFinished) _stage.Tell(new ChannelGone(generation));
        if (_stopping) ConsumerCancelledOk();
        else if (reopen) ScheduleReopen();
        CheckFinished();
    }

    private void ScheduleReopen()
    {
        var delay = _channelRestart.Delay(_reopenAttempts++, Random.Shared.NextDouble());
        Timers.StartSingleTimer("reopen", Reopen.Instance, delay);
    }

    /// <summary>Stop taking deliveries: basic.cancel, and the stage completes (handing back what it did not emit).</summary>
    private void Stop(IActorRef? replyTo)
    {
        if (replyTo is not null && !replyTo.IsNobody())
        {
            _stoppedByControl = true;
            if (_cancelled) replyTo.Tell(Done.Instance);
            else _stopWaiters.Add(replyTo);
        }
        if (_stopping) return;
        _stopping = true;
        Timers.Cancel("reopen");
        if (!_streamFinished) _stage.Tell(CompleteStream.Instance);
        GiveBackHoldings();
        if (_channel is { } channel && _consumerTag is { } tag)
        {
            channel.BasicCancelAsync(tag).PipeTo(Self, success: () => ConsumerCancelled.Instance, failure: _ => ConsumerCancelled.Instance);
        }
        else
        {
            ConsumerCancelledOk();
        }
    }

    /// <summary>Stopping: what the breaker holds goes back to the queue (nack with requeue), no attempt counted.</summary>
    private void GiveBackHoldings()
    {
        if (_breaker?.Clear() is not { } holdings || _channel is null) return;
        foreach (var delivery in holdings.Held) _acks.Complete(delivery.DeliveryTag, AckOutcome.Requeue);
        foreach (var settlement in holdings.Suspects) Complete(settlement, AckOutcome.Requeue, SettleOutcome.Requeued);
        Flush();
    }

    private void ConsumerCancelledOk()
    {
        _cancelled = true;
        foreach (var waiter in _stopWaiters) waiter.Tell(Done.Instance);
        _stopWaiters.Clear();
    }

    private void Handle(StreamFinished finished)
    {
        if (_streamFinished) return;
        _streamFinished = true;
        Stop(null);
        foreach (var delivery in finished.Unemitted)
        {
            if (delivery.Generation == _generation && _channel is not null) _acks.Complete(delivery.DeliveryTag, AckOutcome.Requeue);
        }
        Flush();
        CheckFinished();
    }

    /// <summary>
    /// After the stream finished: close once every element is settled (within drain-timeout). After a shutdown request: close
    /// once the failures on their way to a retry tier or the dead store are durable (within drain-timeout).
    /// </summary>
    private void CheckFinished()
    {
        if (_closing) return;
        int waitingFor;
        if (_shutdownRequested) waitingFor = _failing.Count;
        else if (_streamFinished) waitingFor = _acks.RunningCount;
        else return;
        if (waitingFor == 0 || _channel is null) Close();
        // Stopped through the control: the emitted elements may take as long as the stream needs (DrainAndShutdownAsync
        // waits for the stream, then shuts down). Ended by the stream itself (downstream cancelled): drain-timeout bounds it.
        else if (!Timers.IsTimerActive("drain") && (_shutdownRequested || !_stoppedByControl))
            Timers.StartSingleTimer("drain", DrainTimedOut.Instance, _settings.DrainTimeout);
    }

    private void Close()
    {
        if (_closing) return;
        Flush();
        _closing = true;
        Timers.CancelAll();
        var suspects = _breaker?.Clear().Suspects ?? [];
        foreach (var settlement in _failing.Values.Concat(suspects)) _handle.Complete(settlement, SettleOutcome.WillBeRedelivered);
        _failing.Clear();
        _held.Clear();
        if (!_streamFinished) _stage.Tell(CompleteStream.Instance);
        var channel = _channel;
        _channel = null;
        _generation++;
        if (channel is not null) Context.System.EventStream.Publish(new ConsumerStateChanged(_settings.Name, _settings.Queue, Consuming: false, "stream finished"));
        (channel is null ? _acking : CloseChannelAsync(channel, _acking, _log, _settings.Queue))
            .PipeTo(Self, success: () => ChannelClosed.Instance, failure: _ => ChannelClosed.Instance);
    }

    /// <summary>Brings the source in line with the breaker's state (changes arrive as messages from the scheduler).</summary>
    private void ApplyBreakerState()
    {
        if (_closing) return;
        _breaker?.Apply(
            opened: nowHeld =>
            {
                Pause();
                // The failures that opened it go to no retry tier: held, emitted again after a successful probe.
                foreach (var settlement in nowHeld) _handle.Complete(settlement, SettleOutcome.HeldByBreaker);
                if (!_streamFinished) _stage.Tell(ReturnBuffered.Instance);
            },
            closed: released =>
            {
                foreach (var held in released) EmitDelivery(held);
                Resume();
            },
            tryProbe: TryProbe);
    }

    /// <summary>Half-open: one held delivery is emitted again as the probe (none held: consume again to get one).</summary>
    private void TryProbe()
    {
        if (_breaker is not { ProbeDue: true } breaker || _stopping || _channel is null) return;
        if (breaker.TryTakeProbe(out var probe)) EmitDelivery(probe);
        else Resume();
    }

    /// <summary>The breaker opened: what the stage had not emitted is held with the rest (emitted at once if it closed meanwhile).</summary>
    private void Handle(BufferReturned returned)
    {
        foreach (var delivery in returned.Deliveries.Where(d => d.Generation == _generation && _channel is not null))
        {
            if (_stopping) _acks.Complete(delivery.DeliveryTag, AckOutcome.Requeue);
            else if (_breaker is not { } breaker || !breaker.HoldArrival(delivery)) EmitDelivery(delivery);
        }
        if (_stopping) Flush();
        TryProbe();
    }

    /// <summary>Deliveries held longer than <c>max-hold</c> go back to the queue before the broker's consumer_timeout would take the channel.</summary>
    private void GiveBackHeldTooLong()
    {
        var given = _breaker?.TakeHeldTooLong() ?? [];
        foreach (var delivery in given) _acks.Complete(delivery.DeliveryTag, AckOutcome.Requeue);
        if (given.Count > 0) Flush();
    }

    /// <summary>Stops the broker's deliveries (basic.cancel); what arrives until the cancel is answered is held.</summary>
    private void Pause()
    {
        if (_channel is not { } channel || _breaker?.TryPause() != true || _consumerTag is not { } tag) return;
        _consumerTag = null;
        var generation = _generation;
        channel.BasicCancelAsync(tag).PipeTo(Self, success: () => FlushAcks.Instance, failure: e => new ChannelLost(generation,
            new ShutdownEventArgs(ShutdownInitiator.Application, 0, $"basic.cancel failed: {e.Message}")));
    }

    private void Resume()
    {
        if (_channel is not { } channel || _stopping || _breaker?.TryResume() != true) return;
        var generation = _generation;
        channel.BasicConsumeAsync(_settings.Queue, autoAck: false, new DeliveryForwarder(channel, Self, generation))
            .PipeTo(Self, success: tag => new ConsumeResumed(generation, tag), failure: e => new ChannelLost(generation,
                new ShutdownEventArgs(ShutdownInitiator.Application, 0, $"basic.consume failed: {e.Message}")));
    }

    private void Handle(ConsumeResumed resumed)
    {
        if (resumed.Generation != _generation || _channel is not { } channel) return;
        if (!_stopping && _breaker is not { Paused: true })
        {
            _consumerTag = resumed.ConsumerTag;
            return;
        }
        if (!_stopping)
        {
            // The breaker opened again while basic.consume was on its way: cancel it, or it would be a consumer nobody pauses.
            var generation = _generation;
            channel.BasicCancelAsync(resumed.ConsumerTag).PipeTo(Self, success: () => FlushAcks.Instance, failure: e => new ChannelLost(generation,
                new ShutdownEventArgs(ShutdownInitiator.Application, 0, $"basic.cancel failed: {e.Message}")));
            return;
        }
        // Stopped while basic.consume was on its way: cancel it as Stop would have.
        channel.BasicCancelAsync(resumed.ConsumerTag).PipeTo(Self, success: () => ConsumerCancelled.Instance, failure: _ => ConsumerCancelled.Instance);
    }

    private static async Task CloseChannelAsync(IChannel channel, Task acking, ILoggingAdapter log, string queue)
    {
        try
        {
            await acking.ConfigureAwait(false);
            if (channel.IsOpen) await channel.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            log.Debug("Closing the stream channel of queue {0} failed: {1}", queue, e.Message);
        }
        finally
        {
            await DisposeQuietlyAsync(channel).ConfigureAwait(false);
        }
    }

    private static async Task DisposeQuietlyAsync(IChannel channel)
    {
        try { await channel.DisposeAsync().ConfigureAwait(false); }
        catch (Exception) { /* the channel is gone either way */ }
    }

    private sealed record ChannelLost(long Generation, ShutdownEventArgs Reason);

    private sealed record AckFailed(long Generation, Exception Error);

    private sealed record RequeueNow(Delivery Delivery);



    private sealed record ConsumeResumed(long Generation, string ConsumerTag);

    private sealed record FlushAcks
    {
        public static FlushAcks Instance { get; } = new();
    }

    private sealed record Reopen
    {
        public static Reopen Instance { get; } = new();
    }

    private sealed record ConsumerCancelled
    {
        public static ConsumerCancelled Instance { get; } = new();
    }

    private sealed record DrainTimedOut
    {
        public static DrainTimedOut Instance { get; } = new();
    }

    private sealed record ChannelClosed
    {
        public static ChannelClosed Instance { get; } = new();
    }
}
