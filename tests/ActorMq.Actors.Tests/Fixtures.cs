namespace ActorMq.Actors.Tests;

/// <summary>Counts incarnations across restarts.</summary>
internal sealed class Counter
{
    private int value;

    public int Value => Volatile.Read(ref value);

    public int Next() => Interlocked.Increment(ref value);
}

/// <summary>Creates children from the Props it receives and replies with their refs.</summary>
internal sealed class Parent : ReceiveActor
{
    public Parent()
    {
        Receive<(Props Props, string Name)>(m => Sender.Tell(Context.ActorOf(m.Props, m.Name)));
        Receive<Props>(p => Sender.Tell(Context.ActorOf(p)));
    }
}

/// <summary>
/// Reports its lifecycle to a probe as strings. "fail:x" throws InvalidOperationException(x),
/// "count" replies how many messages this incarnation handled, "child" creates a Lifecycle child.
/// </summary>
internal sealed class Lifecycle : ReceiveActor
{
    private readonly IActorRef probe;
    private readonly int incarnation;
    private int handled;

    public Lifecycle(IActorRef probe, Counter counter, string name = "x")
    {
        this.probe = probe;
        incarnation = counter.Next();
        probe.Tell($"{name} ctor {incarnation}");
        Receive<string>(s => s.StartsWith("fail:", StringComparison.Ordinal), s =>
        {
            handled++;
            throw new InvalidOperationException(s[5..]);
        });
        Receive<string>(s => s == "count", _ => Sender.Tell($"{name} {incarnation} handled {++handled}"));
        Receive<(Props Props, string Name)>(m => Sender.Tell(Context.ActorOf(m.Props, m.Name)));
        Receive<string>(s =>
        {
            handled++;
            Sender.Tell($"{name} {incarnation} got {s}");
        });
        Name = name;
    }

    private string Name { get; }

    protected override void PreStart() => probe.Tell($"{Name} preStart {incarnation}");

    protected override void PostStop() => probe.Tell($"{Name} postStop {incarnation}");

    protected override void PreRestart(Exception reason, object? message)
    {
        probe.Tell($"{Name} preRestart {incarnation} {reason.Message} {message}");
        base.PreRestart(reason, message);
    }

    protected override void PostRestart(Exception reason)
    {
        probe.Tell($"{Name} postRestart {incarnation} {reason.Message}");
        base.PostRestart(reason);
    }
}

/// <summary>Throws in its constructor.</summary>
internal sealed class FailingConstructor : ActorBase
{
    public FailingConstructor() => throw new InvalidOperationException("cannot start");

    protected override bool Receive(object message) => true;
}
