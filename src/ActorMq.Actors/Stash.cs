namespace ActorMq.Actors;

/// <summary>Implemented by actors that stash messages; the kernel sets <see cref="Stash"/> before the constructor body runs.</summary>
public interface IWithStash
{
    /// <summary>This actor's stash (set by the kernel).</summary>
    IStash Stash { get; set; }
}

/// <summary>
/// Messages put aside to be processed later, typically after a <c>Become</c>. Bounded by
/// <c>actormq.actors.stash-capacity</c>. On restart the stash goes back to the front of the
/// mailbox; on stop its messages become dead letters.
/// </summary>
public interface IStash
{
    /// <summary>Puts the message being processed aside.</summary>
    void Stash();

    /// <summary>Returns the oldest stashed message to the front of the mailbox.</summary>
    void Unstash();

    /// <summary>Returns every stashed message to the front of the mailbox, in the order they were stashed.</summary>
    void UnstashAll();

    /// <summary>Drops every stashed message.</summary>
    void ClearStash();

    /// <summary>How many messages are stashed.</summary>
    int Count { get; }
}

/// <summary>The stash of one actor incarnation; used only from the actor's own thread.</summary>
internal sealed class StashBuffer(ActorCell cell, int capacity) : IStash
{
    private readonly List<Envelope> stashed = new();

    public int Count => stashed.Count;

    public void Stash()
    {
        var envelope = cell.CurrentEnvelope;
        if (capacity > 0 && stashed.Count >= capacity)
            throw new StashOverflowException($"Actor {cell.Path} cannot stash more than {capacity} messages (actormq.actors.stash-capacity)");
        stashed.Add(envelope);
    }

    public void Unstash()
    {
        if (stashed.Count == 0) return;
        var first = stashed[0];
        stashed.RemoveAt(0);
        cell.Prepend([first]);
    }

    public void UnstashAll()
    {
        if (stashed.Count == 0) return;
        cell.Prepend(stashed);
        stashed.Clear();
    }

    public void ClearStash() => stashed.Clear();

    public List<Envelope> Drain()
    {
        var all = new List<Envelope>(stashed);
        stashed.Clear();
        return all;
    }
}
