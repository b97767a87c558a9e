using System.Threading.Channels;
using ActorMq.Actors;

namespace ActorMq.TestKit;

/// <summary>The actor behind <c>TestActor</c> and every <see cref="TestProbe"/>: queues what it receives for the expectations.</summary>
internal sealed class TestActor(ChannelWriter<ReceivedMessage> queue) : ActorBase
{
    protected override bool Receive(object message)
    {
        switch (message)
        {
            case WatchCommand watch:
                Context.Watch(watch.Subject);
                break;
            case UnwatchCommand unwatch:
                Context.Unwatch(unwatch.Subject);
                break;
            default:
                queue.TryWrite(new ReceivedMessage(message, Sender));
                break;
        }
        return true;
    }

    public sealed record WatchCommand(IActorRef Subject);

    public sealed record UnwatchCommand(IActorRef Subject);
}

/// <summary>A message the test actor received, with its sender.</summary>
internal readonly record struct ReceivedMessage(object Message, IActorRef Sender);
