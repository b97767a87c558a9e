using ActorMq.Consuming;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Stage;

namespace ActorMq.Streams;

/// <summary>
/// The committable source's stage: starts a <see cref="CommittableConsumerActor"/> and emits what it sends, buffering at
/// most what the consumer's prefetch lets the broker deliver (the broker sends no more until deliveries are settled), so
/// downstream demand drives the flow from the broker. It drops buffered elements of a lost channel, completes when the
/// consumer stops or is told to stop, and on any end hands back the elements it never emitted.
/// </summary>
internal sealed class CommittableSourceStage<T> : GraphStageWithMaterializedValue<SourceShape<CommittableDelivery<T>>, IConsumerControl>
{
    private readonly ActorMqClient _client;
    private readonly ExternalConsumer _consumer;

    public CommittableSourceStage(ActorMqClient client, ExternalConsumer consumer)
    {
        _client = client;
        _consumer = consumer;
        Shape = new SourceShape<CommittableDelivery<T>>(Out);
    }

    public Outlet<CommittableDelivery<T>> Out { get; } = new("ActorMqSource.Committable.out");

    public override SourceShape<CommittableDelivery<T>> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("actormq-committable-source");

    public override ILogicAndMaterializedValue<IConsumerControl> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var handle = new SourceHandle(_consumer.Settings.Name, _consumer.Settings.Queue);
        var control = new ConsumerControl(handle, _client.Settings.Connection.ContinuationTimeout + _consumer.Settings.DrainTimeout + TimeSpan.FromSeconds(10));
        var registry = SourceRegistry.For(_client);
        registry.Add(control, _consumer.Settings.DrainTimeout);
        handle.OnClosed = () => registry.Remove(control);
        return new LogicAndMaterializedValue<IConsumerControl>(new Logic(this, handle), control);
    }

    private sealed class Logic : GraphStageLogic
    {
        private readonly CommittableSourceStage<T> _stage;
        private readonly SourceHandle _handle;
        private readonly Queue<CommittableDelivery<T>> _buffer = new();
        private IActorRef _consumer = ActorRefs.Nobody;
        private bool _consumerStopped;

        public Logic(CommittableSourceStage<T> stage, SourceHandle handle) : base(stage.Shape)
        {
            _stage = stage;
            _handle = handle;
            SetHandler(stage.Out, onPull: () =>
            {
                if (_buffer.TryDequeue(out var next)) PushOut(next);
            }, onDownstreamFinish: _ => CompleteStage());
        }

        public override void PreStart()
        {
            var self = GetStageActor(OnMessage);
            var system = _stage._client.System;
            var handle = _handle;
            _consumer = system.ActorOf(CommittableConsumerActor.Props(_stage._client, _stage._consumer, _handle, self.Ref, typeof(T),
                (message, context, delivery) => new CommittableDelivery<T>((T)message, context, handle, delivery)));
            self.Watch(_consumer);
            _handle.Started(_consumer);
        }

        public override void PostStop()
        {
            if (_consumerStopped) return;
            _consumer.Tell(new StreamFinished(_buffer.Select(e => ((ICommittableElement)e).Delivery).ToList()));
            _buffer.Clear();
        }

        private void PushOut(CommittableDelivery<T> element)
        {
            element.Pushed();
            Push(_stage.Out, element);
        }

        private void OnMessage((IActorRef Sender, object Message) args)
        {
            switch (args.Message)
            {
                case Emit { Element: CommittableDelivery<T> element }:
                    if (_buffer.Count == 0 && IsAvailable(_stage.Out)) PushOut(element);
                    else _buffer.Enqueue(element);
                    break;
                case ReturnBuffered:
                    // The breaker opened: what was not emitted waits with the consumer actor for the next probe.
                    _consumer.Tell(new BufferReturned(_buffer.Select(e => ((ICommittableElement)e).Delivery).ToList()));
                    _buffer.Clear();
                    break;
                case ChannelGone gone:
                    // The broker redelivers these: they were never emitted, nothing holds them.
                    var kept = _buffer.Where(e => ((ICommittableElement)e).Delivery.Generation != gone.Generation).ToList();
                    _buffer.Clear();
                    foreach (var element in kept) _buffer.Enqueue(element);
                    break;
                case CompleteStream:
                    CompleteStage();
                    break;
                case Terminated terminated when terminated.ActorRef.Equals(_consumer):
                    _consumerStopped = true;
                    CompleteStage();
                    break;
            }
        }
    }
}
