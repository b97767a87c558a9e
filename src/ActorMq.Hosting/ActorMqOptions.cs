using System.Globalization;
using System.Text;
using ActorMq.Consuming;
using Akka.Configuration;

namespace ActorMq.Hosting;

/// <summary>
/// ActorMq in an Akka.Hosting host: <c>builder.WithActorMq(o =&gt; { o.ConnectionUris = [...]; o.AddHandler&lt;OrderPlaced, OrderHandler&gt;("orders"); })</c>.
/// Each property that is set becomes HOCON under <c>actormq</c>, prepended to the builder's configuration (so it wins over
/// HOCON added before <c>WithActorMq</c>); a property left <c>null</c> writes nothing and the user's HOCON or
/// ActorMq's <c>reference.conf</c> decides. Handlers are resolved from dependency injection, one scope per delivery.
/// </summary>
public sealed class ActorMqOptions
{
    private readonly List<HandlerBinding> _handlers = [];
    private readonly List<Action<ActorMqBuilder, IServiceProvider>> _configurations = [];

    /// <summary><c>actormq.connection.uris</c>: the brokers to connect to, in order (<c>amqp://host:5672/vhost</c>).</summary>
    public IReadOnlyList<string>? ConnectionUris { get; set; }

    /// <summary><c>actormq.connection.virtual-host</c> (when the URIs name none).</summary>
    public string? VirtualHost { get; set; }

    /// <summary><c>actormq.connection.user-name</c> (when the URIs name none).</summary>
    public string? UserName { get; set; }

    /// <summary><c>actormq.connection.password</c>: from code or a secret store, never from a file in the repository.</summary>
    public string? Password { get; set; }

    /// <summary><c>actormq.dead-store.sqlite.path</c>: the SQLite dead store's file.</summary>
    public string? DeadStoreSqlitePath { get; set; }

    /// <summary><c>actormq.hosting.wait-until-ready</c>: the host's start waits until the link is up and every consumer consumes.</summary>
    public bool? WaitUntilReady { get; set; }

    /// <summary><c>actormq.hosting.ready-timeout</c>: how long the start waits when <see cref="WaitUntilReady"/> is on.</summary>
    public TimeSpan? ReadyTimeout { get; set; }

    /// <summary>The DI handlers added with <see cref="AddHandler{TMessage, THandler}"/>.</summary>
    internal IReadOnlyList<HandlerBinding> Handlers => _handlers;

    /// <summary>What <see cref="Configure(Action{ActorMqBuilder, IServiceProvider})"/> added.</summary>
    internal IReadOnlyList<Action<ActorMqBuilder, IServiceProvider>> Configurations => _configurations;

    /// <summary>
    /// Handles consumer <paramref name="consumer"/>'s messages with <typeparamref name="THandler"/> from dependency
    /// injection. Each delivery gets its own service scope: <typeparamref name="THandler"/> is resolved from that scope
    /// when it is registered, or else constructed with <c>ActivatorUtilities</c> (constructor arguments from the scope)
    /// and disposed after the delivery; a scoped service it takes (a DbContext) lives exactly as long as one delivery.
    /// The start fails with a <see cref="ConfigurationException"/> naming the handler and the service when a constructor
    /// argument is not registered. A consumer without an entry in <c>actormq.consumers</c> gets one with the defaults.
    /// </summary>
    public ActorMqOptions AddHandler<TMessage, THandler>(string consumer) where THandler : class, IMessageHandler<TMessage>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        _handlers.Add(new HandlerBinding(consumer, typeof(THandler),
            (builder, services) => builder.AddHandler(consumer, ScopedMessageHandler<TMessage, THandler>.Factory(services))));
        return this;
    }

    /// <summary>
    /// Anything else of <see cref="ActorMqBuilder"/> (delegate or actor handlers, serializers, the dead-letter store,
    /// extra topology), with the host's services; runs when the actors start.
    /// </summary>
    public ActorMqOptions Configure(Action<ActorMqBuilder, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _configurations.Add(configure);
        return this;
    }

    /// <inheritdoc cref="Configure(Action{ActorMqBuilder, IServiceProvider})"/>
    public ActorMqOptions Configure(Action<ActorMqBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Configure((builder, _) => configure(builder));
    }

    /// <summary>The options that are set, as HOCON under <c>actormq</c> (empty when none is).</summary>
    internal Config ToConfig() => ConfigurationFactory.ParseString(ToHocon());

    /// <summary>The HOCON text of <see cref="ToConfig"/>.</summary>
    internal string ToHocon()
    {
        var hocon = new StringBuilder();
        if (ConnectionUris is { } uris)
        {
            if (uris.Count == 0 || uris.Any(string.IsNullOrWhiteSpace))
                throw new ConfigurationException("actormq.connection.uris", $"{nameof(ActorMqOptions)}.{nameof(ConnectionUris)}: expected at least one non-empty URI, found [{string.Join(", ", uris)}]");
            hocon.Append("actormq.connection.uris = [").AppendJoin(", ", uris.Select(Quote)).AppendLine("]");
        }
        AppendString(hocon, "actormq.connection.virtual-host", VirtualHost);
        AppendString(hocon, "actormq.connection.user-name", UserName);
        AppendString(hocon, "actormq.connection.password", Password);
        AppendString(hocon, "actormq.dead-store.sqlite.path", DeadStoreSqlitePath);
        if (WaitUntilReady is { } wait) hocon.AppendLine(CultureInfo.InvariantCulture, $"actormq.hosting.wait-until-ready = {(wait ? "on" : "off")}");
        if (ReadyTimeout is { } timeout)
        {
            if (timeout <= TimeSpan.Zero)
                throw new ConfigurationException("actormq.hosting.ready-timeout", $"{nameof(ActorMqOptions)}.{nameof(ReadyTimeout)}: expected a duration > 0, found {timeout}");
            hocon.AppendLine(CultureInfo.InvariantCulture, $"actormq.hosting.ready-timeout = {(long)Math.Ceiling(timeout.TotalMilliseconds)}ms");
        }
        return hocon.ToString();
    }

    private static void AppendString(StringBuilder hocon, string path, string? value)
    {
        if (value is not null) hocon.Append(path).Append(" = ").AppendLine(Quote(value));
    }

    /// <summary>A HOCON quoted string: backslashes, quotes and control characters escaped.</summary>
    private static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    else quoted.Append(c);
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }
}

/// <summary>A DI handler of a consumer: the handler type (checked at start) and how it is added to the builder.</summary>
internal sealed record HandlerBinding(string Consumer, Type HandlerType, Action<ActorMqBuilder, IServiceProvider> Apply);
