using Akka.Actor;
using ActorMq.Consuming;
using ActorMq.Settings;
using Akka.Configuration;

namespace ActorMq.Hosting;

/// <summary>
/// What <see cref="ActorMqServiceCollectionExtensions.AddActorMq"/> runs: configuration layers, handlers resolved from
/// dependency injection, anything else of <see cref="ActorMqBuilder"/>, and the user's actors.
/// </summary>
/// <remarks>
/// Configuration layers, lowest first: the embedded <c>reference.conf</c>; each <see cref="AddHocon(string)"/> in call
/// order (a later one wins); each <see cref="WithConfig(string)"/> in call order (code wins over every file). The layers
/// are merged, then substitutions (<c>${?ENV_VAR}</c>) are resolved across all of them. Nothing is parsed until the host
/// starts, so a bad file fails the start, naming the file and line.
/// </remarks>
public sealed class ActorMqHostingBuilder
{
    private static readonly string[] FileExtensions = [".conf", ".json", ".properties"];

    internal ActorMqHostingBuilder()
    {
    }

    internal List<Func<Config>> HoconLayers { get; } = [];

    internal List<Func<Config>> CodeOverrides { get; } = [];

    internal List<Action<ActorMqBuilder, IServiceProvider>> Configurations { get; } = [];

    internal List<Action<ActorSystem, IActorRegistry, IServiceProvider>> ActorSetups { get; } = [];

    /// <summary>
    /// Adds a HOCON layer over the earlier ones: a file when <paramref name="pathOrText"/> is a single line naming an
    /// existing file or ending in <c>.conf</c>, <c>.json</c> or <c>.properties</c> (a missing such file fails the start),
    /// otherwise HOCON text (its origin in error messages is <c>AddHocon #n</c>).
    /// </summary>
    public ActorMqHostingBuilder AddHocon(string pathOrText)
    {
        ArgumentNullException.ThrowIfNull(pathOrText);
        var origin = $"AddHocon #{HoconLayers.Count + 1}";
        HoconLayers.Add(IsFilePath(pathOrText) ? () => HoconFiles.ParseFile(pathOrText) : () => HoconFiles.Parse(pathOrText, origin));
        return this;
    }

    /// <summary>Adds a parsed configuration as a HOCON layer over the earlier ones.</summary>
    public ActorMqHostingBuilder AddHocon(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        HoconLayers.Add(() => config);
        return this;
    }

    /// <summary>Configuration from code that wins over every <see cref="AddHocon(string)"/> layer (a later call wins).</summary>
    public ActorMqHostingBuilder WithConfig(string hocon)
    {
        ArgumentNullException.ThrowIfNull(hocon);
        var origin = $"WithConfig #{CodeOverrides.Count + 1}";
        CodeOverrides.Add(() => HoconFiles.Parse(hocon, origin));
        return this;
    }

    /// <summary>A parsed configuration that wins over every <see cref="AddHocon(string)"/> layer (a later call wins).</summary>
    public ActorMqHostingBuilder WithConfig(Config overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        CodeOverrides.Add(() => overrides);
        return this;
    }

    /// <summary>
    /// Handles consumer <paramref name="consumer"/>'s messages with <typeparamref name="THandler"/> from dependency
    /// injection. Each message gets its own service scope: <typeparamref name="THandler"/> is resolved from that scope when
    /// it is registered, or else constructed with <c>ActivatorUtilities</c> (constructor arguments from the scope) and
    /// disposed after the message; scoped services it depends on (a DbContext) live exactly as long as one message.
    /// A consumer without an entry in <c>actormq.consumers</c> gets one with the defaults (queue = its name).
    /// </summary>
    public ActorMqHostingBuilder AddHandler<TMessage, THandler>(string consumer) where THandler : class, IMessageHandler<TMessage>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        Configurations.Add((builder, services) => builder.AddHandler(consumer, ScopedMessageHandler<TMessage, THandler>.Factory(services)));
        return this;
    }

    /// <summary>
    /// Anything else of <see cref="ActorMqBuilder"/> (delegate or actor handlers, serializers, the dead-letter store,
    /// extra topology), with the host's services.
    /// </summary>
    public ActorMqHostingBuilder ConfigureActorMq(Action<ActorMqBuilder, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Configurations.Add(configure);
        return this;
    }

    /// <inheritdoc cref="ConfigureActorMq(Action{ActorMqBuilder, IServiceProvider})"/>
    public ActorMqHostingBuilder ConfigureActorMq(Action<ActorMqBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return ConfigureActorMq((builder, _) => configure(builder));
    }

    /// <summary>
    /// Creates the application's actors once ActorMq has started (its publisher is already in the registry) and registers
    /// the ones controllers need: <c>registry.Register&lt;OrdersKey&gt;(system.ActorOf(...))</c>. Runs during the host's
    /// start, before any hosted service's <c>StartAsync</c>; an exception fails the start.
    /// </summary>
    public ActorMqHostingBuilder WithActors(Action<ActorSystem, IActorRegistry> setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        return WithActors((system, registry, _) => setup(system, registry));
    }

    /// <inheritdoc cref="WithActors(Action{ActorSystem, IActorRegistry})"/>
    public ActorMqHostingBuilder WithActors(Action<ActorSystem, IActorRegistry, IServiceProvider> setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ActorSetups.Add(setup);
        return this;
    }

    /// <summary>The effective configuration: the layers merged over reference.conf, resolved.</summary>
    /// <exception cref="ConfigurationException">A file is missing or not valid HOCON.</exception>
    internal Config BuildConfig()
    {
        var merged = Config.Empty;
        foreach (var layer in HoconLayers.Concat(CodeOverrides)) merged = layer().WithFallback(merged);
        return merged.WithFallback(ActorMqClient.DefaultConfig());
    }

    private static bool IsFilePath(string value) =>
        !value.Contains('\n', StringComparison.Ordinal) && value.Trim().Length > 0
        && (File.Exists(value) || FileExtensions.Any(e => value.TrimEnd().EndsWith(e, StringComparison.OrdinalIgnoreCase)));
}
