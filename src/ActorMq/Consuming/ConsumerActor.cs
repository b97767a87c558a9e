using Akka.Actor;
using Akka.Event;
using ActorMq.Connection;
using ActorMq.DeadStore;
using ActorMq.Retry;
using ActorMq.Settings;
using ActorMq.Topology;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ActorMq.Consuming;

/// <summary>
/// Consumes one queue. On <see cref="LinkUp"/> it (re)declares its queue and retry tiers, opens its own channel,
/// sets <c>prefetch</c> and consumes with manual ack, handing each delivery (body copied out of the client's buffer)
/// to one of its <c>concurrency</c> <see cref="HandlerActor"/>s. A delivery is acked only when its handler succeeded
/// or the failure handler (<see cref="SettleFailure"/>) reports the retry copy confirmed / the dead letter committed;
/// otherwise it is nacked with requeue after a backoff. Acks are coalesced with <c>multiple</c> only when exactly
/// equivalent (<see cref="AckTracker"/>).
/// Supervised by a BackoffSupervisor under the connection supervisor: a broker <c>basic.cancel</c> (queue deleted,
/// node gone) or a channel error throws, and the consumer is restarted with backoff. A lost connection is not an
/// error here: the consumer waits for the next <see cref="LinkUp"/>. <see cref="DrainConsumer"/> stops consuming,
/// lets in-flight handlers finish within <c>drain-timeout</c>, acks what finished and leaves the rest for redelivery.
/// With <c>circuit-breaker.enabled</c>, failures first wait as suspects (released to the failure handler by the next
/// success, or when <c>within</c> passes without another failure); when the breaker opens, the consumer cancels its broker
/// consumer and holds every delivery in hand unacked — no attempt counted, no quorum delivery limit spent — until a probe
/// (half-open) succeeds.
/// </summary>
internal sealed class ConsumerActor : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ConsumerWiring _wiring;
    private readonly ConsumerSettings _settings;
    private readonly AckTracker _acks = new();
    private readonly List<IActorRef> _handlers = [];
    private readonly Stack<IActorRef> _idle = new();
    private readonly Queue<Delivery> _waiting = new();
    private IChannel? _channel;
    private IConnection? _connection;
    private long _generation;
    private string? _consumerTag;
    private Task _acking = Task.CompletedTask;
    private int _settling;
    // Failures that could not be made durable yet, held unacked and settled again after a backoff of their own.
    private HeldSettles<HandlerFailed> _held = null!;
    private IActorRef? _drainReplyTo;
    // The circuit breaker's holds, suspects and probe (circuit-breaker.enabled), and whether the broker consumer is cancelled.
    private BreakerGate<HandlerFailed>? _breaker;
    // Failures handed to the failure handler, by delivery tag, until it answers (a returned retry copy is settled again).
    private readonly Dictionary<ulong, HandlerFailed> _settlingFailures = [];
    private bool _redeclaring;
    // Why the broker refused this consumer's declarations, while it does; and how many times in a row.
    private string? _problem;
    private int _refusals;
    private int _replacedHandlers;

    public ConsumerActor(ConsumerWiring wiring)
    {
        _wiring = wiring;
        _settings = wiring.Settings;
        Waiting();
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ConsumerWiring wiring) => Akka.Actor.Props.Create(() => new ConsumerActor(wiring));

    protected override void PreStart()
    {
        _held = new HeldSettles<HandlerFailed>(_wiring.Retry, Timers);
        if (_settings.CircuitBreaker.Enabled)
            _breaker = new BreakerGate<HandlerFailed>(_settings, _wiring.Policy.IsPermanent, Self, Context.System, Timers, _log, _wiring.Instruments);
        for (var i = 0; i < _settings.Concurrency; i++)
        {
            var handler = NewHandler($"handler-{i + 1}");
            _handlers.Add(handler);
            _idle.Push(handler);
        }
        _wiring.Link.Tell(RequestLink.Instance, Self);
    }

    private IActorRef NewHandler(string name) => Context.ActorOf(
        HandlerActor.Props(_settings, _wiring.Handler, _wiring.Serializers, _wiring.Retry.AttemptHeader, _wiring.Instruments), name);

    /// <summary>Puts a fresh handler in the place of one that is stuck in a blocking call; the stuck one stops when it returns.</summary>
    private IActorRef Replace(IActorRef stuck)
    {
        var index = _handlers.IndexOf(stuck);
        var fresh = NewHandler($"handler-{(index < 0 ? _handlers.Count : index) + 1}-{++_replacedHandlers}");
        if (index < 0) _handlers.Add(fresh);
        else _handlers[index] = fresh;
        Context.Stop(stuck);
        Log.HandlerReplaced(_log, _settings.Name, _settings.HandlerTimeout);
        return fresh;
    }

    protected override void PostStop()
    {
        if (_channel is { } channel)
        {
            _channel = null;
            _ = CloseChannelAsync(channel, _acking, _log, _settings.Queue);
        }
    }

    private void Waiting()
    {
        ReceiveAsync<LinkUp>(link =>
        {
            Timers.Cancel("redeclare");
            return OpenAsync(link);
        });
        ReceiveAsync<DeclareAgain>(again => again.Link.ConsumeConnection.IsOpen ? OpenAsync(again.Link) : Task.CompletedTask);
        Receive<LinkDown>(_ => Timers.Cancel("redeclare"));
        Receive<DrainConsumer>(_ => Sender.Tell(new ConsumerDrained(_settings.Name, 0)));
        Receive<GetConsumerStatus>(_ => Sender.Tell(Status(consuming: false)));
        Receive<BreakerGateChanged>(_ => ApplyBreakerState());
        ReceiveStale();
    }

    private void Consuming()
    {
        Receive<Delivery>(Handle);
        Receive<ParkedDelivery>(Handle);
        Receive<HandlerSucceeded>(Handle);
        Receive<HandlerFailed>(Handle);
        Receive<FailureSettled>(Handle);
        Receive<FailureNotSettled>(Handle);
        Receive<Redeclared>(Handle);
        Receive<RequeueNow>(Handle);
        Receive<SettleAgain<HandlerFailed>>(Handle);
        Receive<SettleTimedOut>(Handle);
        Receive<FlushAcks>(_ => Flush());
        Receive<ChannelLost>(Handle);
        Receive<BrokerCancelled>(Handle);
        Receive<AckFailed>(Handle);
        Receive<LinkDown>(Handle);
        ReceiveAsync<LinkUp>(Handle);
        Receive<DrainConsumer>(Handle);
        Receive<DrainTimedOut>(_ => FinishDrain(timedOut: true));
        Receive<GetConsumerStatus>(_ => Sender.Tell(Status(consuming: _drainReplyTo is null && _breaker is not { Paused: true })));
        Receive<BreakerGateChanged>(_ => ApplyBreakerState());
        Receive<BreakerSuspectsExpired>(_ => ReleaseSuspects());
        Receive<BreakerHeldCheck>(_ => GiveBackHeldTooLong());
        Receive<ConsumeResumed>(Handle);
    }

    private ConsumerStatus Status(bool consuming) =>
        new(_settings.Name, _settings.Queue, consuming, _handlers.Count - _idle.Count + _settling,
            _waiting.Count + (_breaker is { } breaker ? breaker.HeldCount + breaker.SuspectCount : 0), _breaker?.State ?? BreakerState.Closed,
            consuming || _problem is null ? null : $"{_problem} (refused {_refusals} time(s); declaring again with backoff)");

    /// <summary>
    /// The broker refused this consumer's declarations (a 406 naming queue and argument, a 403): retrying at once cannot
    /// help and a restart loop would log the same error for ever. The consumer waits, says why in its status (health
    /// checks, admin page) and on the event stream, logs once per different reason, and declares again with backoff.
    /// </summary>
    private void DeclarationRefused(ActorMqException error, LinkUp link)
    {
        _refusals++;
        if (_problem != error.Message)
        {
            _problem = error.Message;
            Log.DeclarationRefused(_log, error, _settings.Name, _settings.Queue);
            Context.System.EventStream.Publish(new ConsumerStateChanged(_settings.Name, _settings.Queue, Consuming: false, error.Message));
        }
        var delay = _wiring.RedeclareBackoff.Delay(_refusals - 1, Random.Shared.NextDouble());
        Timers.StartSingleTimer("redeclare", new DeclareAgain(link), delay);
    }

    /// <summary>Messages of an old channel, or handler outcomes while waiting: the broker redelivers those deliveries.</summary>
    private void ReceiveStale()
    {
        Receive<Delivery>(_ => { });
        Receive<ParkedDelivery>(_ => { });
        Receive<HandlerSucceeded>(_ => _idle.Push(Sender));
        Receive<HandlerFailed>(failed => _idle.Push(failed.Retired ? Replace(Sender) : Sender));
        Receive<FailureSettled>(_ => { });
        Receive<FailureNotSettled>(_ => { });
        Receive<Redeclared>(_ => _redeclaring = false);
        Receive<RequeueNow>(_ => { });
        Receive<SettleAgain<HandlerFailed>>(_ => { });
        Receive<SettleTimedOut>(_ => { });
        Receive<FlushAcks>(_ => { });
        Receive<ChannelLost>(_ => { });
        Receive<BrokerCancelled>(_ => { });
        Receive<AckFailed>(_ => { });
        Receive<BreakerSuspectsExpired>(_ => { });
        Receive<BreakerHeldCheck>(_ => { });
        Receive<ConsumeResumed>(_ => { });
    }

    private async Task OpenAsync(LinkUp link)
    {
        var generation = ++_generation;
        var connection = link.ConsumeConnection;
        IChannel? channel = null;
        try
        {
            // The queue may have been deleted under us: declare what this consumer needs, every time.
            var result = await TopologyApplier.For(connection).ApplyAsync(_wiring.Topology, CancellationToken.None);
            if (result.Failures.Count > 0 && connection.IsOpen)
            {
                DeclarationRefused(result.Failures[0].Error, link);
                return;
            }
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
            // What the broker dead-lettered from the work queue is moved into the dead store, breaker or not.
            if (_wiring.ParkedQueue is { } parkedQueue)
                await channel.BasicConsumeAsync(parkedQueue, autoAck: false, new DeliveryForwarder(channel, self, generation, parked: true));
        }
        catch (Exception e) when (!connection.IsOpen)
        {
            // The connection went while opening: the supervisor reconnects and sends the next LinkUp.
            Log.ConsumerOpenInterrupted(_log, _settings.Name, _settings.Queue, e.Message);
            if (channel is not null) await DisposeQuietlyAsync(channel);
            return;
        }
        catch
        {
            if (channel is not null) await DisposeQuietlyAsync(channel);
            throw; // restarted with backoff by the BackoffSupervisor
        }

        _channel = channel;
        _connection = connection;
        _acks.Reset();
        _acking = Task.CompletedTask;
        _settling = 0;
        Become(Consuming);
        if (_problem is not null) Log.DeclarationAccepted(_log, _settings.Name, _settings.Queue, _refusals);
        _problem = null;
        _refusals = 0;
        Log.ConsumerStarted(_log, _settings.Name, _settings.Queue, _settings.Prefetch, _settings.Concurrency);
        Context.System.EventStream.Publish(new ConsumerStateChanged(_settings.Name, _settings.Queue, Consuming: true));
        TryProbe(); // half-open on a new channel: consume to get the probe
    }

    private async Task Handle(LinkUp link)
    {
        if (ReferenceEquals(link.ConsumeConnection, _connection)) return;
        GoWaiting("a new connection replaced the old one");
        await OpenAsync(link);
    }

    private void Handle(ParkedDelivery parked)
    {
        var delivery = parked.Delivery;
        if (delivery.Generation != _generation) return;
        _acks.Track(delivery.DeliveryTag);
        if (_drainReplyTo is not null) return; // draining: left unacked, redelivered when the channel closes
        // Straight to the dead store, under the work queue's name and the route it was first published with, so a replay
        // puts it back where it came from.
        var (original, error) = BrokerDeath.Park(delivery, _settings.Queue);
        Log.ParkedReceived(_log, _settings.Name, delivery.Properties.MessageId, _settings.Queue, error.Reason);
        Settle(new HandlerFailed(original, error, Permanent: true));
    }

    private void Handle(Delivery delivery)
    {
        if (delivery.Generation != _generation) return;
        _wiring.Instruments.Consumed(_settings.Queue);
        _acks.Track(delivery.DeliveryTag);
        if (_drainReplyTo is not null) return; // draining: left unacked, redelivered when the channel closes
        if (_breaker is { } breaker && breaker.HoldArrival(delivery)) TryProbe();
        else if (_idle.Count > 0) Dispatch(_idle.Pop(), delivery);
        else _waiting.Enqueue(delivery);
    }

    private void Handle(HandlerSucceeded succeeded)
    {
        var current = succeeded.Delivery.Generation == _generation;
        // The downstream works: suspected failures were the messages' own.
        if (current && _breaker is { } breaker) SettleAll(breaker.Succeeded(succeeded.Delivery, succeeded.Elapsed));
        HandlerFreed(Sender);
        if (!current) return;
        _acks.Complete(succeeded.Delivery.DeliveryTag, AckOutcome.Ack);
        if (ReplayLineage.Of(succeeded.Delivery.Properties.Headers) is { } lineage)
            _wiring.FailureHandler.Tell(new ReplayedCopyHandled(lineage.Store, lineage.Id));
        AfterCompletion();
        ApplyBreakerState();
    }

    private void Handle(HandlerFailed failed)
    {
        var current = failed.Delivery.Generation == _generation;
        // Told to the breaker before the handler is freed: an opened breaker keeps the next waiting delivery.
        var verdict = current && _breaker is { } breaker ? breaker.Failed(failed.Delivery, failed, failed.Error, failed.Permanent) : BreakerVerdict.Settle;
        HandlerFreed(failed.Retired ? Replace(Sender) : Sender);
        if (!current) return;
        Log.HandlerFailed(_log, failed.Error, _settings.Name, failed.Delivery.Properties.MessageId, failed.Permanent);
        _wiring.Instruments.Failed(_settings.Queue, failed.Error.GetType().FullName ?? failed.Error.GetType().Name);
        if (verdict == BreakerVerdict.Settle) Settle(failed);
        else ApplyBreakerState();
    }

    private void Settle(HandlerFailed failed)
    {
        _settling++;
        _settlingFailures[failed.Delivery.DeliveryTag] = failed;
        _wiring.FailureHandler.Tell(
            new SettleFailure(_settings.Name, _settings.Queue, failed.Delivery, failed.Error, failed.Permanent, Self), Self);
        // No answer in time (a publish or a store write that hangs) counts as not settled: held and tried again.
        _held.Started(failed.Delivery);
    }

    private void Handle(SettleTimedOut timedOut)
    {
        var delivery = timedOut.Delivery;
        if (delivery.Generation != _generation || !_settlingFailures.ContainsKey(delivery.DeliveryTag)) return;
        Handle(new FailureNotSettled(delivery, _held.TimeoutError(delivery)));
    }

    /// <summary>The suspected failures go the ordinary way (retry tier or dead store): the breaker did not open.</summary>
    private void ReleaseSuspects()
    {
        if (_breaker is { } breaker) SettleAll(breaker.ReleaseSuspects());
    }

    private void SettleAll(IReadOnlyList<HandlerFailed> failures)
    {
        foreach (var failed in failures) Settle(failed);
    }

    /// <summary>Half-open: one held delivery goes to a free handler as the probe (none held: consume again to get one).</summary>
    private void TryProbe()
    {
        if (_breaker is not { ProbeDue: true } breaker || _drainReplyTo is not null) return;
        if (breaker.HeldCount == 0) Resume();
        else if (_idle.Count > 0 && breaker.TryTakeProbe(out var probe)) Dispatch(_idle.Pop(), probe); // else the next freed handler takes it
    }

    /// <summary>Brings the consumer in line with the breaker's state (changes arrive as messages from the scheduler).</summary>
    private void ApplyBreakerState() => _breaker?.Apply(
        opened: _ =>
        {
            Pause();
            while (_waiting.TryDequeue(out var waiting)) _breaker.Hold(waiting, oldestFirst: false);
        },
        closed: released =>
        {
            foreach (var held in released)
            {
                if (_idle.Count > 0) Dispatch(_idle.Pop(), held);
                else _waiting.Enqueue(held);
            }
            Resume();
        },
        tryProbe: TryProbe);

    /// <summary>Stops the broker's deliveries (basic.cancel); what is in hand stays unacked with the consumer.</summary>
    private void Pause()
    {
        if (_channel is not { } channel || _breaker?.TryPause() != true || _consumerTag is not { } tag) return;
        _consumerTag = null;
        var self = Self;
        var generation = _generation;
        channel.BasicCancelAsync(tag)
            .PipeTo(self, success: () => FlushAcks.Instance, failure: e => new ChannelLost(generation,
                new ShutdownEventArgs(ShutdownInitiator.Application, 0, $"basic.cancel failed: {e.Message}")));
    }

    private void Resume()
    {
        if (_channel is not { } channel || _drainReplyTo is not null || _breaker?.TryResume() != true) return;
        var self = Self;
        var generation = _generation;
        channel.BasicConsumeAsync(_settings.Queue, autoAck: false, new DeliveryForwarder(channel, self, generation))
            .PipeTo(self, success: tag => new ConsumeResumed(generation, tag), failure: e => new ChannelLost(generation,
                new ShutdownEventArgs(ShutdownInitiator.Application, 0, $"basic.consume failed: {e.Message}")));
    }

    private void Handle(ConsumeResumed resumed)
    {
        if (resumed.Generation != _generation || _channel is not { } channel) return;
        if (_breaker is not { Paused: true } && _drainReplyTo is null)
        {
            _consumerTag = resumed.ConsumerTag;
            return;
        }
        // The breaker opened again (or a drain began) while basic.consume was on its way: cancel it, or it would be a
        // consumer nobody pauses. What it delivers meanwhile is held like any arrival.
        var generation = _generation;
        channel.BasicCancelAsync(resumed.ConsumerTag)
            .PipeTo(Self, success: () => FlushAcks.Instance, failure: e => new ChannelLost(generation,
                new ShutdownEventArgs(ShutdownInitiator.Application, 0, $"basic.cancel failed: {e.Message}")));
    }

    /// <summary>Deliveries held longer than <c>max-hold</c> go back to the queue before the broker's consumer_timeout would take the channel.</summary>
    private void GiveBackHeldTooLong()
    {
        var given = _breaker?.TakeHeldTooLong() ?? [];
        foreach (var delivery in given) _acks.Complete(delivery.DeliveryTag, AckOutcome.Requeue);
        if (given.Count > 0) Flush();
    }

    private void Handle(FailureSettled settled)
    {
        var tag = settled.Delivery.DeliveryTag;
        // A late answer after a settle timeout still counts while the delivery is held; one for a delivery already
        // settled (two tries both answered) is ignored.
        if (settled.Delivery.Generation != _generation || !(_settlingFailures.Remove(tag) | _held.Release(settled.Delivery))) return;
        _settling--;
        _acks.Complete(settled.Delivery.DeliveryTag, AckOutcome.Ack);
        AfterCompletion();
    }

    private void Handle(FailureNotSettled notSettled)
    {
        if (notSettled.Delivery.Generation != _generation) return;
        if (!_settlingFailures.Remove(notSettled.Delivery.DeliveryTag, out var failed)) return; // timed out already: held
        _held.Answered(notSettled.Delivery);
        var returned = (notSettled.Reason is AggregateException aggregate ? aggregate.GetBaseException() : notSettled.Reason) is PublishReturnedException;
        if (returned && !_redeclaring && _connection is { IsOpen: true } connection)
        {
            // The retry copy had no route: its tier queue was deleted under us. Declare this consumer's topology again
            // (tiers included) and settle the failure once more, instead of requeueing into the same dead end.
            _redeclaring = true;
            Log.TierRedeclared(_log, _settings.Name, notSettled.Reason.Message);
            var generation = _generation;
            TopologyApplier.For(connection).ApplyAsync(_wiring.Topology, CancellationToken.None)
                .PipeTo(Self, success: _ => new Redeclared(generation, failed, null), failure: e => new Redeclared(generation, failed, e));
            return;
        }
        SettleLater(failed, notSettled.Reason);
    }

    /// <summary>
    /// Nothing durable happened (the dead store is down, a retry copy was not confirmed): keep the delivery unacked and
    /// settle it again after a backoff of its own. A requeue would spend a quorum queue's delivery limit on ActorMq's
    /// own outage. Past <c>retry.settle-hold</c> (below the broker's <c>consumer_timeout</c>), or while draining, it is
    /// given back to the queue deliberately instead.
    /// </summary>
    private void SettleLater(HandlerFailed failed, Exception reason)
    {
        if (_held.Hold(failed.Delivery, failed, giveBack: _drainReplyTo is not null, out var heldFor) is not { } retry)
        {
            Log.UnsettledGivenBack(_log, reason, _settings.Name, failed.Delivery.Properties.MessageId, _settings.Queue, heldFor);
            Handle(new RequeueNow(failed.Delivery));
            return;
        }
        Log.SettleRetryScheduled(_log, reason, _settings.Name, failed.Delivery.Properties.MessageId, retry.Delay, retry.Try);
    }

    private void Handle(SettleAgain<HandlerFailed> again)
    {
        var delivery = again.Delivery;
        // A drain gives back every held failure and cancels these timers, so none comes while draining.
        if (delivery.Generation != _generation || !_held.IsHeld(delivery)) return;
        _settling--; // counted again by Settle
        Settle(again.Failure);
    }

    private void Handle(Redeclared redeclared)
    {
        _redeclaring = false;
        if (redeclared.Generation != _generation) return;
        _settling--; // counted again by Settle
        if (redeclared.Error is null)
        {
            Settle(redeclared.Failure);
            return;
        }
        // The declaration failed too: the ordinary way, settle again after a backoff.
        _settling++;
        SettleLater(redeclared.Failure, redeclared.Error);
    }

    private void Handle(RequeueNow requeue)
    {
        if (requeue.Delivery.Generation != _generation) return;
        _settling--;
        _acks.Complete(requeue.Delivery.DeliveryTag, AckOutcome.Requeue);
        Flush();
        CheckDrained();
    }

    private void Handle(ChannelLost lost)
    {
        if (lost.Generation != _generation) return;
        if (_connection is { IsOpen: false })
        {
            // The whole connection went: the supervisor reconnects and sends LinkDown / LinkUp.
            GoWaiting(lost.Reason.ReplyText);
            return;
        }
        if (_drainReplyTo is not null)
        {
            FinishDrain(timedOut: false);
            return;
        }
        var classification = AmqpFailureClassifier.FromReply(lost.Reason);
        throw new ChannelClosedException(_settings.Queue, classification.Reason, classification.Error);
    }

    private void Handle(BrokerCancelled cancelled)
    {
        if (cancelled.Generation != _generation || _drainReplyTo is not null) return;
        throw new ConsumerCancelledException(_settings.Name, _settings.Queue);
    }

    private void Handle(AckFailed failed)
    {
        if (failed.Generation != _generation) return;
        if (_connection is { IsOpen: false }) { GoWaiting("the connection closed while acking"); return; }
        throw new ChannelClosedException(_settings.Queue, $"acknowledging on queue '{_settings.Queue}' failed: {failed.Error.Message}", failed.Error);
    }

    private void Handle(LinkDown down)
    {
        GoWaiting(down.Reason);
        if (_drainReplyTo is { } replyTo)
        {
            _drainReplyTo = null;
            replyTo.Tell(new ConsumerDrained(_settings.Name, 0));
        }
    }

    private void Handle(DrainConsumer drain)
    {
        _drainReplyTo = Sender;
        _waiting.Clear(); // not started: left unacked, the broker redelivers them
        if (_channel is { } channel && _consumerTag is { } tag)
        {
            var self = Self;
            var generation = _generation;
            channel.BasicCancelAsync(tag)
                .PipeTo(self, success: () => FlushAcks.Instance, failure: e => new ChannelLost(generation,
                    new ShutdownEventArgs(ShutdownInitiator.Application, 0, $"basic.cancel failed: {e.Message}")));
        }
        Timers.StartSingleTimer("drain", DrainTimedOut.Instance, _settings.DrainTimeout);
        // Failures waiting to be settled again go back to the queue now rather than hold the shutdown up.
        foreach (var delivery in _held.TakeAll()) Handle(new RequeueNow(delivery));
        CheckDrained();
    }

    private void Dispatch(IActorRef handler, Delivery delivery)
    {
        var reading = AttemptHeader.Read(delivery.Properties.Headers, _wiring.Retry.AttemptHeader);
        if (reading.Warning is not null) Log.AttemptHeaderUnreadable(_log, _settings.Name, delivery.Properties.MessageId, reading.Warning);
        _wiring.Instruments.AddInFlight(1);
        handler.Tell(new HandleDelivery(delivery, reading.Attempt), Self);
    }

    private void HandlerFreed(IActorRef handler)
    {
        _wiring.Instruments.AddInFlight(-1);
        if (_drainReplyTo is null && _breaker is not { IsClosed: false } && _waiting.TryDequeue(out var next)) Dispatch(handler, next);
        else
        {
            _idle.Push(handler);
            TryProbe();
        }
    }

    private void AfterCompletion()
    {
        if (_drainReplyTo is not null)
        {
            Flush();
        }
        else
        {
            // Exact coalescing: one multiple ack per ack-batch-size completions; the timer bounds how long the rest wait.
            // (Flushing whenever the handlers fall idle would ack one by one under load: a fast handler is idle between
            // most deliveries, and single acks are what the broker spends its time on.)
            // The timer restarts with every batch sent, so under steady load it never splits a batch.
            var due = _acks.FlushDue(_settings.AckBatchSize);
            Send(due);
            if (_acks.PendingCount > 0 && (due.Count > 0 || !Timers.IsTimerActive("flush")))
                Timers.StartSingleTimer("flush", FlushAcks.Instance, _settings.AckFlushInterval);
        }
        CheckDrained();
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
        _acking = SendAsync(_acking, _channel, commands, Self, _generation);
    }

    /// <summary>Acks go out strictly in order (a multiple ack must never overtake a single one it covers).</summary>
    private static async Task SendAsync(Task previous, IChannel channel, IReadOnlyList<AckCommand> commands, IActorRef self, long generation)
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
            self.Tell(new AckFailed(generation, e));
        }
    }

    private void CheckDrained()
    {
        if (_drainReplyTo is null) return;
        var inFlight = _handlers.Count - _idle.Count + _settling;
        if (inFlight == 0) FinishDrain(timedOut: false);
    }

    private void FinishDrain(bool timedOut)
    {
        if (_drainReplyTo is not { } replyTo) return;
        Flush();
        var unfinished = _handlers.Count - _idle.Count + _settling;
        if (timedOut) Log.DrainTimedOut(_log, _settings.Name, unfinished, _settings.DrainTimeout);
        Timers.Cancel("drain");
        _drainReplyTo = null;
        var channel = _channel;
        GoWaiting("drained");
        var acking = _acking;
        var name = _settings.Name;
        var log = _log;
        var queue = _settings.Queue;
        // The reply waits for the acks to be written and the channel closed: unfinished deliveries are requeued by then.
        (channel is null ? acking : CloseChannelAsync(channel, acking, log, queue))
            .PipeTo(replyTo, success: () => new ConsumerDrained(name, unfinished), failure: _ => new ConsumerDrained(name, unfinished));
    }

    private void GoWaiting(string reason)
    {
        if (_channel is not null)
            Context.System.EventStream.Publish(new ConsumerStateChanged(_settings.Name, _settings.Queue, Consuming: false, reason));
        _channel = null;
        _connection = null;
        _consumerTag = null;
        _generation++; // outcomes of the old channel are stale from here on
        _acks.Reset();
        _waiting.Clear();
        _breaker?.Clear(); // its holds and suspects are unacked: the broker redelivers them
        _settlingFailures.Clear();
        _held.Clear();
        _settling = 0;
        Timers.CancelAll();
        Become(Waiting);
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
            Log.ChannelCloseFailed(log, e, queue);
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

    private sealed record DeclareAgain(LinkUp Link);

    private sealed record Redeclared(long Generation, HandlerFailed Failure, Exception? Error);

    private sealed record ConsumeResumed(long Generation, string ConsumerTag);

    private sealed record FlushAcks
    {
        public static FlushAcks Instance { get; } = new();
    }

    private sealed record DrainTimedOut
    {
        public static DrainTimedOut Instance { get; } = new();
    }
}

/// <summary>Everything a <see cref="ConsumerActor"/> needs, fixed for its lifetime.</summary>
/// <param name="Settings">The consumer's settings.</param>
/// <param name="Handler">How its messages reach user code.</param>
/// <param name="Serializers">Body serializers.</param>
/// <param name="Retry">Retry settings (attempt header, requeue backoff).</param>
/// <param name="Policy">The consumer's retry policy (its permanent check keeps permanent failures out of the breaker).</param>
/// <param name="Topology">The declarations this consumer needs (its queue, bindings, retry tiers).</param>
/// <param name="FailureHandler">Where failed deliveries go (the RetryActor).</param>
/// <param name="Link">The connection supervisor, asked for the current link.</param>
/// <param name="Instruments">Metrics of the client.</param>
/// <param name="ParkedQueue">The work queue's parked queue (its dead-letter target), drained into the dead store; <c>null</c> = none.</param>
/// <param name="RedeclareBackoff">Backoff between declarations the broker refused (the connection's <c>channel-restart</c>).</param>
internal sealed record ConsumerWiring(
    ConsumerSettings Settings,
    HandlerRegistration Handler,
    Serialization.MessageSerializers Serializers,
    RetrySettings Retry,
    RetryPolicy Policy,
    TopologyPlan Topology,
    IActorRef FailureHandler,
    IActorRef Link,
    Diagnostics.ActorMqInstruments Instruments,
    string? ParkedQueue,
    BackoffSettings RedeclareBackoff);

/// <summary>Stop consuming, let in-flight handlers finish within <c>drain-timeout</c>, ack them; reply <see cref="ConsumerDrained"/> to the sender.</summary>
internal sealed record DrainConsumer
{
    public static DrainConsumer Instance { get; } = new();
}

/// <summary>The consumer stopped consuming; <paramref name="Unfinished"/> handlers had not finished (their deliveries are redelivered).</summary>
internal sealed record ConsumerDrained(string Consumer, int Unfinished);
