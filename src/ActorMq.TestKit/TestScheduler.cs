using ActorMq.Actors;

namespace ActorMq.TestKit;

/// <summary>
/// A virtual-time scheduler: nothing runs until the test calls <see cref="Advance"/>, which runs
/// every action due by then, in due-time order (actions scheduled while advancing run too if due).
/// Pass it as <see cref="ActorSystemOptions.Scheduler"/> to drive actor timers, receive timeouts,
/// backoff and <c>ScheduleTellOnce</c> deterministically.
/// </summary>
public sealed class TestScheduler : SchedulerBase
{
    private readonly object gate = new();
    private readonly SortedSet<Entry> pending = new(EntryOrder.Instance);
    private DateTimeOffset now;
    private long sequence;

    /// <summary>A scheduler whose clock starts at <paramref name="start"/> (default: 2000-01-01 UTC).</summary>
    public TestScheduler(DateTimeOffset? start = null)
    {
        now = start ?? new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <inheritdoc />
    public override DateTimeOffset Now
    {
        get
        {
            lock (gate) return now;
        }
    }

    /// <summary>How many actions are waiting (not yet run, not cancelled).</summary>
    public int PendingCount
    {
        get
        {
            lock (gate) return pending.Count;
        }
    }

    /// <summary>When the next pending action is due, if any.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (gate) return pending.Count == 0 ? null : pending.Min!.Due;
        }
    }

    /// <inheritdoc />
    public override ICancelable ScheduleOnce(TimeSpan delay, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (gate)
        {
            var entry = new Entry(this, now + (delay > TimeSpan.Zero ? delay : TimeSpan.Zero), ++sequence, action);
            pending.Add(entry);
            return entry;
        }
    }

    /// <summary>Moves the clock forward by <paramref name="duration"/>, running what falls due.</summary>
    public void Advance(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        AdvanceTo(Now + duration);
    }

    /// <summary>Moves the clock to <paramref name="time"/> (never backwards), running what falls due.</summary>
    public void AdvanceTo(DateTimeOffset time)
    {
        while (true)
        {
            Entry next;
            lock (gate)
            {
                if (pending.Count == 0 || pending.Min!.Due > time)
                {
                    if (time > now) now = time;
                    return;
                }
                next = pending.Min;
                pending.Remove(next);
                if (next.Due > now) now = next.Due;
            }
            next.Run();
        }
    }

    private void Remove(Entry entry)
    {
        lock (gate) pending.Remove(entry);
    }

    private sealed class Entry(TestScheduler owner, DateTimeOffset due, long sequence, Action action) : ICancelable
    {
        private int state; // 0 pending, 1 ran, 2 cancelled

        public DateTimeOffset Due { get; } = due;

        public long Sequence { get; } = sequence;

        public bool IsCancellationRequested => Volatile.Read(ref state) == 2;

        public void Cancel()
        {
            if (Interlocked.CompareExchange(ref state, 2, 0) == 0) owner.Remove(this);
        }

        public void Run()
        {
            if (Interlocked.CompareExchange(ref state, 1, 0) == 0) action();
        }
    }

    private sealed class EntryOrder : IComparer<Entry>
    {
        public static readonly EntryOrder Instance = new();

        public int Compare(Entry? x, Entry? y)
        {
            if (ReferenceEquals(x, y)) return 0;
            var byDue = x!.Due.CompareTo(y!.Due);
            return byDue != 0 ? byDue : x.Sequence.CompareTo(y.Sequence);
        }
    }
}
