namespace ActorMq.Actors;

/// <summary>The parent of top-level actors (<c>/user</c>) and of the system's own actors (<c>/system</c>).</summary>
internal sealed class GuardianActor : ActorBase
{
    protected override bool Receive(object message) => false;

    protected override void Unhandled(object message)
    {
        // The guardians are not addressed by applications; anything sent to them is a dead letter.
        Context.System.PublishDeadLetter(message, ActorCell.Current?.CurrentSender, Self);
    }
}
