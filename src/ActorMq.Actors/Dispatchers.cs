using System.Collections.Concurrent;
using ActorMq.Hocon;

namespace ActorMq.Actors;

/// <summary>Runs actors' batches somewhere: the .NET thread pool, or a dedicated thread.</summary>
internal abstract class MessageDispatcher(string id, int throughput)
{
    public string Id { get; } = id;

    /// <summary>User messages an actor processes per run before yielding its thread.</summary>
    public int Throughput { get; } = throughput;

    public abstract void Schedule(ActorCell cell);

    public virtual void Shutdown() { }
}

/// <summary>The default: actors run on the shared thread pool (no thread per actor, no allocation per run).</summary>
internal sealed class ThreadPoolDispatcher(string id, int throughput) : MessageDispatcher(id, throughput)
{
    public override void Schedule(ActorCell cell) => ThreadPool.UnsafeQueueUserWorkItem(cell, preferLocal: false);
}

/// <summary>
/// One dedicated background thread runs every actor bound to this dispatcher, so an actor that
/// blocks (a SQLite writer, a synchronous driver) never starves the thread pool.
/// </summary>
internal sealed class DedicatedThreadDispatcher : MessageDispatcher
{
    private readonly BlockingCollection<ActorCell> ready = new();
    private readonly Thread thread;

    public DedicatedThreadDispatcher(string id, int throughput) : base(id, throughput)
    {
        thread = new Thread(Run) { IsBackground = true, Name = $"actormq:{id}" };
        thread.Start();
    }

    public override void Schedule(ActorCell cell)
    {
        if (!ready.IsAddingCompleted)
        {
            try
            {
                ready.Add(cell);
                return;
            }
            catch (InvalidOperationException)
            {
                // completed concurrently: fall through to the pool
            }
        }
        ThreadPool.UnsafeQueueUserWorkItem(cell, preferLocal: false);
    }

    public override void Shutdown() => ready.CompleteAdding();

    private void Run()
    {
        foreach (var cell in ready.GetConsumingEnumerable()) cell.Execute();
    }
}

/// <summary>The dispatchers of one system, created on first use from their HOCON definitions.</summary>
internal sealed class Dispatchers(Config config)
{
    private readonly ConcurrentDictionary<string, MessageDispatcher> byId = new(StringComparer.Ordinal);

    public MessageDispatcher Lookup(string id)
    {
        if (byId.TryGetValue(id, out var found)) return found;
        lock (byId)
        {
            return byId.TryGetValue(id, out found) ? found : byId[id] = Create(id);
        }
    }

    public void Shutdown()
    {
        foreach (var dispatcher in byId.Values) dispatcher.Shutdown();
    }

    private MessageDispatcher Create(string id)
    {
        var settings = DispatcherSettings.Create(config, id);
        return settings.Type switch
        {
            DispatcherType.DedicatedThread => new DedicatedThreadDispatcher(id, settings.Throughput),
            _ => new ThreadPoolDispatcher(id, settings.Throughput),
        };
    }
}

/// <summary>Mailbox capacities by mailbox id, read once from HOCON.</summary>
internal sealed class Mailboxes(Config config)
{
    private readonly ConcurrentDictionary<string, int> capacities = new(StringComparer.Ordinal);

    public int Capacity(string id) => capacities.GetOrAdd(id, static (key, cfg) => MailboxSettings.Create(cfg, key).Capacity, config);
}
