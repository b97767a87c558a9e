using Akka.Actor;
using ActorMq.DeadStore;
using ActorMq.Retry;

namespace ActorMq.Cli.Demo;

/// <summary>
/// Subscribed to the event stream: hands <see cref="MessageRetried"/> and <see cref="MessageDeadLettered"/> to the
/// demo's progress counters. Created and stopped with the demo's actor system.
/// </summary>
internal sealed class DemoEventListener : ReceiveActor
{
    public DemoEventListener(DemoProgress progress)
    {
        Receive<MessageRetried>(progress.OnRetried);
        Receive<MessageDeadLettered>(progress.OnDeadLettered);
    }

    /// <summary>Props of a listener feeding <paramref name="progress"/>.</summary>
    public static Props Props(DemoProgress progress) => Akka.Actor.Props.Create(() => new DemoEventListener(progress));

    /// <summary>Starts a listener in <paramref name="system"/> and subscribes it to both events.</summary>
    public static IActorRef Start(ActorSystem system, DemoProgress progress)
    {
        ArgumentNullException.ThrowIfNull(system);
#pragma warning disable AK1008 // a static factory called from outside any actor: the listener is a top-level actor on purpose
        var listener = system.ActorOf(Props(progress), "demo-events");
#pragma warning restore AK1008
        system.EventStream.Subscribe(listener, typeof(MessageRetried));
        system.EventStream.Subscribe(listener, typeof(MessageDeadLettered));
        return listener;
    }
}
