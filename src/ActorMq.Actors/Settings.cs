using ActorMq.Hocon;

namespace ActorMq.Actors;

/// <summary>The kernel's settings, read once from <c>actormq.actors</c> and validated.</summary>
/// <param name="StashCapacity">Most messages one actor may stash (<c>stash-capacity</c>); 0 for no limit.</param>
/// <param name="DeadLetterLogMax">Dead letters logged per <paramref name="DeadLetterLogInterval"/>; 0 logs none.</param>
/// <param name="DeadLetterLogInterval">The window <paramref name="DeadLetterLogMax"/> counts in.</param>
/// <param name="LogDeadLettersDuringShutdown">Whether dead letters are logged while the system shuts down.</param>
/// <param name="Shutdown">Coordinated shutdown phases and timeouts.</param>
public sealed record ActorSystemSettings(
    int StashCapacity,
    int DeadLetterLogMax,
    TimeSpan DeadLetterLogInterval,
    bool LogDeadLettersDuringShutdown,
    CoordinatedShutdownSettings Shutdown)
{
    /// <summary>Reads and validates <c>actormq.actors</c> from a resolved config that includes the reference defaults.</summary>
    public static ActorSystemSettings Create(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        const string root = "actormq.actors";
        return new ActorSystemSettings(
            StashCapacity: ConfigRead.NonNegativeInt(config, $"{root}.stash-capacity"),
            DeadLetterLogMax: ConfigRead.NonNegativeInt(config, $"{root}.dead-letters.log-max"),
            DeadLetterLogInterval: ConfigRead.PositiveDuration(config, $"{root}.dead-letters.log-interval"),
            LogDeadLettersDuringShutdown: ConfigRead.Read(config, $"{root}.dead-letters.log-during-shutdown", config.GetBoolean),
            Shutdown: CoordinatedShutdownSettings.Create(config, $"{root}.coordinated-shutdown"));
    }
}

/// <summary>Coordinated shutdown settings (<c>actormq.actors.coordinated-shutdown</c>).</summary>
/// <param name="Phases">The phase names, in the order they run.</param>
/// <param name="PhaseTimeouts">The timeout of each phase.</param>
/// <param name="ActorStopTimeout">How long stopping the actor tree may take before shutdown completes anyway.</param>
public sealed record CoordinatedShutdownSettings(
    IReadOnlyList<string> Phases,
    IReadOnlyDictionary<string, TimeSpan> PhaseTimeouts,
    TimeSpan ActorStopTimeout)
{
    /// <summary>Reads and validates the section at <paramref name="path"/>.</summary>
    public static CoordinatedShutdownSettings Create(Config config, string path)
    {
        var phases = ConfigRead.Read(config, $"{path}.phases", config.GetStringList);
        var duplicates = phases.GroupBy(p => p, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0) throw new ConfigException($"{path}.phases: phase '{duplicates[0]}' is listed twice");
        var defaultTimeout = ConfigRead.PositiveDuration(config, $"{path}.default-phase-timeout");
        var timeouts = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var phase in phases)
        {
            var key = $"{path}.phase-timeouts.{phase}";
            timeouts[phase] = config.HasPath(key) ? ConfigRead.PositiveDuration(config, key) : defaultTimeout;
        }
        return new CoordinatedShutdownSettings(phases, timeouts, ConfigRead.PositiveDuration(config, $"{path}.actor-stop-timeout"));
    }
}

/// <summary>Where a dispatcher runs actors.</summary>
internal enum DispatcherType
{
    ThreadPool,
    DedicatedThread,
}

/// <summary>One dispatcher definition (a HOCON object with <c>type</c> and <c>throughput</c>).</summary>
internal sealed record DispatcherSettings(DispatcherType Type, int Throughput)
{
    public static DispatcherSettings Create(Config config, string id)
    {
        if (!config.HasPath(id)) throw new ConfigException($"Dispatcher '{id}' is not defined: no HOCON object at path '{id}' (see actormq.actors.default-dispatcher)");
        var type = ConfigRead.Read(config, $"{id}.type", config.GetString) switch
        {
            "thread-pool" => DispatcherType.ThreadPool,
            "dedicated-thread" => DispatcherType.DedicatedThread,
            var other => throw new ConfigException($"{id}.type: expected thread-pool or dedicated-thread, got '{other}'"),
        };
        var throughput = config.HasPath($"{id}.throughput")
            ? ConfigRead.PositiveInt(config, $"{id}.throughput")
            : ConfigRead.PositiveInt(config, $"{Props.DefaultDispatcherId}.throughput");
        return new DispatcherSettings(type, throughput);
    }
}

/// <summary>One mailbox definition (a HOCON object with <c>capacity</c>).</summary>
internal sealed record MailboxSettings(int Capacity)
{
    public static MailboxSettings Create(Config config, string id)
    {
        if (!config.HasPath(id)) throw new ConfigException($"Mailbox '{id}' is not defined: no HOCON object at path '{id}' (see actormq.actors.default-mailbox)");
        return new MailboxSettings(ConfigRead.NonNegativeInt(config, $"{id}.capacity"));
    }
}

/// <summary>Typed HOCON reads whose errors name the path and what was expected.</summary>
internal static class ConfigRead
{
    public static T Read<T>(Config config, string path, Func<string, T> read)
    {
        if (!config.HasPath(path)) throw new ConfigException($"{path}: missing (it has a default in reference.conf; was the reference config left out?)");
        try
        {
            return read(path);
        }
        catch (ConfigException)
        {
            throw;
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            throw new ConfigException($"{path}: {e.Message}", e);
        }
    }

    public static int NonNegativeInt(Config config, string path)
    {
        var value = Read(config, path, config.GetInt);
        return value >= 0 ? value : throw new ConfigException($"{path}: expected an integer >= 0, got {value}");
    }

    public static int PositiveInt(Config config, string path)
    {
        var value = Read(config, path, config.GetInt);
        return value > 0 ? value : throw new ConfigException($"{path}: expected an integer > 0, got {value}");
    }

    public static double PositiveDouble(Config config, string path)
    {
        var value = Read(config, path, config.GetDouble);
        return value > 0 && double.IsFinite(value) ? value : throw new ConfigException($"{path}: expected a number > 0, got {value}");
    }

    public static TimeSpan PositiveDuration(Config config, string path)
    {
        var value = Read(config, path, config.GetTimeSpan);
        return value > TimeSpan.Zero ? value : throw new ConfigException($"{path}: expected a duration > 0, got {value}");
    }
}
