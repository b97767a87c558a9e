using ActorMq.Actors;

namespace ActorMq.TestKit;

/// <summary>
/// A scriptable actor for tests: send it messages (via <see cref="Ref"/>), then expect them in order,
/// reply to their senders, or forward them.
/// </summary>
public sealed class TestProbe : TestKitBase
{
    private static int counter;

    internal TestProbe(ActorSystem system, TestKitSettings settings, string? name)
        : base(system, settings, name ?? $"testProbe-{Interlocked.Increment(ref counter)}")
    {
    }

    /// <summary>The probe's ref.</summary>
    public IActorRef Ref => TestActor;

    /// <summary>Sends <paramref name="message"/> to <see cref="TestKitBase.LastSender"/>, with the probe as sender.</summary>
    public void Reply(object message) => LastSender.Tell(message, Ref);

    /// <summary>Sends <paramref name="message"/> (default: the last message received) to <paramref name="target"/>, keeping the original sender.</summary>
    public void Forward(IActorRef target, object? message = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(message ?? LastMessage ?? throw new InvalidOperationException("The probe has received no message to forward"), LastSender);
    }

    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> with the probe as sender.</summary>
    public void Send(IActorRef target, object message)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(message, Ref);
    }
}
