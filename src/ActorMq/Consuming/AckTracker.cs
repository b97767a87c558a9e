namespace ActorMq.Consuming;

/// <summary>How a handled delivery is to be settled.</summary>
internal enum AckOutcome
{
    /// <summary>basic.ack: the outcome is durable (handled, retry copy confirmed, or dead letter committed).</summary>
    Ack,

    /// <summary>basic.nack with requeue: nothing durable happened; the broker redelivers.</summary>
    Requeue,
}

/// <summary>One frame to send on the channel.</summary>
/// <param name="DeliveryTag">The delivery tag.</param>
/// <param name="Multiple">For an ack: also settles every unsettled tag below (only emitted when all of them are completed with ack).</param>
/// <param name="Outcome">ack or nack-requeue (nacks are always single).</param>
internal readonly record struct AckCommand(ulong DeliveryTag, bool Multiple, AckOutcome Outcome);

/// <summary>
/// Bookkeeping of one channel's delivery tags when handlers finish out of order. Completed tags are held until a
/// flush, which emits the fewest frames that settle exactly the completed tags: each nack singly, then one ack with
/// <c>multiple</c> for the prefix of the window whose unsettled tags are all completed-with-ack, and (on a full flush)
/// single acks for completed tags above the first still-running one. A multiple ack is only sent when every unsettled
/// tag at or below it is completed with ack, so it never settles a delivery whose outcome is not yet durable.
/// One tracker per channel: delivery tags restart on a new channel.
/// </summary>
internal sealed class AckTracker
{
    private enum State : byte { Running, CompletedAck, CompletedRequeue, Settled }

    // The window: every tracked tag from the lowest not-yet-settled one upwards, in increasing tag order.
    private readonly List<(ulong Tag, State State)> _window = [];
    private int _head;
    private ulong _lastTracked;
    private int _running;
    private int _pending;
    private readonly List<ulong> _pendingNacks = [];

    /// <summary>Deliveries tracked and still running in a handler.</summary>
    public int RunningCount => _running;

    /// <summary>Deliveries completed but not yet settled by a flush.</summary>
    public int PendingCount => _pending;

    /// <summary>Deliveries tracked and not yet settled (running or pending).</summary>
    public int UnsettledCount => _running + _pending;

    /// <summary>Starts tracking a delivery; tags must increase (as a channel's tags do).</summary>
    /// <exception cref="InvalidOperationException">The tag is not greater than the last tracked tag.</exception>
    public void Track(ulong deliveryTag)
    {
        if (deliveryTag <= _lastTracked)
            throw new InvalidOperationException($"delivery tag {deliveryTag} is not greater than the last tracked tag {_lastTracked}");
        _lastTracked = deliveryTag;
        _window.Add((deliveryTag, State.Running));
        _running++;
    }

    /// <summary>Records the outcome of a tracked, running delivery. Nothing is sent until a flush.</summary>
    /// <exception cref="InvalidOperationException">The tag is not tracked or already completed.</exception>
    public void Complete(ulong deliveryTag, AckOutcome outcome)
    {
        var index = IndexOf(deliveryTag);
        if (index < 0 || _window[index].State != State.Running)
            throw new InvalidOperationException($"delivery tag {deliveryTag} is not a running delivery (unknown, or completed twice)");
        _running--;
        _pending++;
        if (outcome == AckOutcome.Ack)
        {
            _window[index] = (deliveryTag, State.CompletedAck);
        }
        else
        {
            _window[index] = (deliveryTag, State.CompletedRequeue);
            _pendingNacks.Add(deliveryTag);
        }
    }

    /// <summary>
    /// Settles every completed delivery: nacks singly, the completed prefix with one (multiple) ack, and completed tags
    /// above the first running one with single acks. After it, no completed delivery is left unsettled.
    /// </summary>
    public IReadOnlyList<AckCommand> Flush() => FlushCore(all: true);

    /// <summary>
    /// Settles the nacks and the completed prefix only (one ack frame at most); completed tags above a running one wait,
    /// to be covered by a later multiple ack. Cheapest per delivery; call <see cref="Flush"/> on the flush timer or when draining.
    /// </summary>
    public IReadOnlyList<AckCommand> FlushPrefix() => FlushCore(all: false);

    /// <summary>
    /// The flush policy a consumer applies after each completion, with <paramref name="batchSize"/> = <c>ack-batch-size</c>:
    /// fewer than <paramref name="batchSize"/> completed → nothing yet; otherwise settle the prefix with one multiple ack,
    /// and if that leaves <paramref name="batchSize"/> or more waiting behind a slow handler, settle those singly too (so a
    /// slow delivery at the head never holds the prefetch window). Holding fewer than <c>ack-batch-size ≤ prefetch</c>
    /// completed deliveries always leaves the broker credit to send more, so waiting never stalls the consumer; the
    /// consumer calls <see cref="Flush"/> every <c>ack-flush-interval</c> and when draining, which bounds how long a
    /// completed delivery waits for its ack.
    /// </summary>
    public IReadOnlyList<AckCommand> FlushDue(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (_pending < batchSize) return [];
        var commands = FlushCore(all: false);
        if (_pending >= batchSize) commands.AddRange(FlushCore(all: true));
        return commands;
    }

    /// <summary>Forgets everything (the channel is gone: its unsettled deliveries will be redelivered by the broker).</summary>
    public void Reset()
    {
        _window.Clear();
        _pendingNacks.Clear();
        _head = 0;
        _lastTracked = 0;
        _running = 0;
        _pending = 0;
    }

    private List<AckCommand> FlushCore(bool all)
    {
        var commands = new List<AckCommand>();
        foreach (var tag in _pendingNacks)
        {
            commands.Add(new AckCommand(tag, false, AckOutcome.Requeue));
            _window[IndexOf(tag)] = (tag, State.Settled);
            _pending--;
        }
        _pendingNacks.Clear();

        // The prefix: settled or completed-with-ack entries from the head, up to the first running one.
        ulong lastAck = 0;
        var acksInPrefix = 0;
        while (_head < _window.Count && _window[_head].State != State.Running)
        {
            if (_window[_head].State == State.CompletedAck)
            {
                lastAck = _window[_head].Tag;
                acksInPrefix++;
                _pending--;
            }
            _head++;
        }
        if (acksInPrefix > 0) commands.Add(new AckCommand(lastAck, acksInPrefix > 1, AckOutcome.Ack));

        if (all)
        {
            for (var i = _head; i < _window.Count; i++)
            {
                if (_window[i].State != State.CompletedAck) continue;
                commands.Add(new AckCommand(_window[i].Tag, false, AckOutcome.Ack));
                _window[i] = (_window[i].Tag, State.Settled);
                _pending--;
            }
        }
        Compact();
        return commands;
    }

    private void Compact()
    {
        if (_head == _window.Count)
        {
            _window.Clear();
            _head = 0;
        }
        else if (_head > 64 && _head > _window.Count / 2)
        {
            _window.RemoveRange(0, _head);
            _head = 0;
        }
    }

    private int IndexOf(ulong tag)
    {
        int lo = _head, hi = _window.Count - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var current = _window[mid].Tag;
            if (current == tag) return mid;
            if (current < tag) lo = mid + 1; else hi = mid - 1;
        }
        return -1;
    }
}
