using ActorMq.Retry;
using ActorMq.Settings;
using Microsoft.Extensions.Logging;

namespace ActorMq.Admin.Api;

/// <summary>What every endpoint needs: the client, the settings, the consumers to show, the logger.</summary>
internal sealed class AdminContext
{
    public AdminContext(ActorMqClient client, AdminSettings settings, ILogger logger)
    {
        Client = client;
        Settings = settings;
        Logger = logger;
        Consumers = ConfiguredConsumers(client).Select(c => new ConsumerQueues(c.Name, c.Queue,
            new RetryPolicy(c.Queue, c.Retry, client.Settings.Names).TierDelays.Select(d => client.Settings.Names.RetryTier(c.Queue, d)).ToList())).ToList();
    }

    private Task? _storeReady;

    public ActorMqClient Client { get; }

    public AdminSettings Settings { get; }

    public ILogger Logger { get; }

    /// <summary>Each consumer's work queue and retry tier queues.</summary>
    public IReadOnlyList<ConsumerQueues> Consumers { get; }

    /// <summary>
    /// The dead-letter store, initialized (schema created or migrated) once; a failed initialization is tried again by
    /// the next request. The admin process may open the store before (or without) the service that writes to it.
    /// </summary>
    public async Task<DeadStore.IDeadLetterStore> StoreAsync(CancellationToken cancellationToken)
    {
        var ready = _storeReady;
        if (ready is null || ready.IsFaulted || ready.IsCanceled) _storeReady = ready = Client.DeadLetterStore.InitializeAsync(CancellationToken.None);
        await ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Client.DeadLetterStore;
    }

    /// <summary>
    /// The client's consumers; for a client started <c>WithoutConsumers()</c> (the standalone admin process) the consumers
    /// its configuration lists, whose queues it still declares and whose depths the page shows.
    /// </summary>
    private static IReadOnlyList<ConsumerSettings> ConfiguredConsumers(ActorMqClient client)
    {
        if (client.Settings.Consumers.Count > 0) return client.Settings.Consumers;
        try
        {
            return ActorMqSettings.Create(client.System.Settings.Config).Consumers;
        }
        catch (ConfigurationException)
        {
            return []; // the client was configured apart from its actor system: nothing more to show than it runs
        }
    }
}

/// <summary>A consumer's queues.</summary>
internal sealed record ConsumerQueues(string Consumer, string Queue, IReadOnlyList<string> Tiers);
