namespace ActorMq.Topology;

/// <summary>An exchange to declare (exchange.declare).</summary>
/// <param name="Name">The exchange name.</param>
/// <param name="Type"><c>direct</c>, <c>fanout</c>, <c>topic</c> or <c>headers</c> (or a plugin's type).</param>
/// <param name="Durable">Survives a broker restart.</param>
/// <param name="AutoDelete">Deleted when its last binding goes.</param>
/// <param name="Arguments">Extra arguments (e.g. <c>alternate-exchange</c>).</param>
public sealed record ExchangeDeclaration(
    string Name, string Type, bool Durable, bool AutoDelete, IReadOnlyDictionary<string, object?> Arguments)
{
    /// <summary>True when both declarations would create the same exchange.</summary>
    public bool IsEquivalentTo(ExchangeDeclaration other) =>
        Name == other.Name && Type == other.Type && Durable == other.Durable && AutoDelete == other.AutoDelete
        && TopologyArguments.AreEqual(Arguments, other.Arguments);
}

/// <summary>A queue to declare (queue.declare).</summary>
/// <param name="Name">The queue name.</param>
/// <param name="Durable">Survives a broker restart.</param>
/// <param name="Exclusive">Owned by the declaring connection.</param>
/// <param name="AutoDelete">Deleted when its last consumer goes.</param>
/// <param name="Arguments">Queue arguments: <c>x-queue-type</c>, <c>x-message-ttl</c>, <c>x-dead-letter-exchange</c>, ...</param>
public sealed record QueueDeclaration(
    string Name, bool Durable, bool Exclusive, bool AutoDelete, IReadOnlyDictionary<string, object?> Arguments)
{
    /// <summary>True when both declarations would create the same queue.</summary>
    public bool IsEquivalentTo(QueueDeclaration other) =>
        Name == other.Name && Durable == other.Durable && Exclusive == other.Exclusive && AutoDelete == other.AutoDelete
        && TopologyArguments.AreEqual(Arguments, other.Arguments);
}

/// <summary>A binding of a queue to an exchange (queue.bind).</summary>
/// <param name="Exchange">The source exchange.</param>
/// <param name="Queue">The destination queue.</param>
/// <param name="RoutingKey">The binding key (ignored by fanout exchanges; a pattern for topic exchanges).</param>
/// <param name="Arguments">Binding arguments (headers exchanges).</param>
public sealed record BindingDeclaration(
    string Exchange, string Queue, string RoutingKey, IReadOnlyDictionary<string, object?> Arguments)
{
    /// <summary>True when both declarations create the same binding.</summary>
    public bool IsEquivalentTo(BindingDeclaration other) =>
        Exchange == other.Exchange && Queue == other.Queue && RoutingKey == other.RoutingKey
        && TopologyArguments.AreEqual(Arguments, other.Arguments);
}

/// <summary>
/// Everything to declare on a (re)connect, in order: exchanges, then queues, then bindings.
/// Pure data, built by <see cref="TopologyPlanBuilder"/>; executed by the topology actor.
/// </summary>
public sealed record TopologyPlan(
    IReadOnlyList<ExchangeDeclaration> Exchanges,
    IReadOnlyList<QueueDeclaration> Queues,
    IReadOnlyList<BindingDeclaration> Bindings)
{
    /// <summary>A plan that declares nothing.</summary>
    public static TopologyPlan Empty { get; } = new([], [], []);

    /// <summary>The queue named <paramref name="name"/>, or <c>null</c>.</summary>
    public QueueDeclaration? FindQueue(string name) => Queues.FirstOrDefault(q => q.Name == name);

    /// <summary>The exchange named <paramref name="name"/>, or <c>null</c>.</summary>
    public ExchangeDeclaration? FindExchange(string name) => Exchanges.FirstOrDefault(e => e.Name == name);

    /// <summary>This plan followed by <paramref name="other"/> (declarations already in this plan are not repeated).</summary>
    public TopologyPlan Concat(TopologyPlan other) => new(
        [.. Exchanges, .. other.Exchanges.Where(e => !Exchanges.Contains(e))],
        [.. Queues, .. other.Queues.Where(q => !Queues.Contains(q))],
        [.. Bindings, .. other.Bindings.Where(b => !Bindings.Contains(b))]);
}

/// <summary>Well-known queue and exchange argument names and values.</summary>
public static class TopologyArguments
{
    /// <summary><c>x-queue-type</c>: <c>classic</c> or <c>quorum</c>.</summary>
    public const string QueueType = "x-queue-type";
    /// <summary><c>x-delivery-limit</c>: redeliveries a quorum queue allows before dropping/dead-lettering.</summary>
    public const string DeliveryLimit = "x-delivery-limit";
    /// <summary><c>x-message-ttl</c>: milliseconds a message may wait in the queue.</summary>
    public const string MessageTtl = "x-message-ttl";
    /// <summary><c>x-dead-letter-exchange</c>: where expired or rejected messages go (<c>""</c> = default exchange).</summary>
    public const string DeadLetterExchange = "x-dead-letter-exchange";
    /// <summary><c>x-dead-letter-routing-key</c>: the routing key dead-lettered messages get.</summary>
    public const string DeadLetterRoutingKey = "x-dead-letter-routing-key";

    /// <summary><c>x-dead-letter-strategy</c>: a quorum queue's <c>at-least-once</c> keeps a message until its dead-letter target confirmed it.</summary>
    public const string DeadLetterStrategy = "x-dead-letter-strategy";

    /// <summary><c>x-overflow</c>: <c>reject-publish</c> is what at-least-once dead-lettering requires.</summary>
    public const string Overflow = "x-overflow";

    /// <summary>Compares argument tables by key and value (numbers of different integer widths compare by value).</summary>
    public static bool AreEqual(IReadOnlyDictionary<string, object?> a, IReadOnlyDictionary<string, object?> b)
    {
        if (a.Count != b.Count) return false;
        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !ValueEquals(value, other)) return false;
        }
        return true;
    }

    private static bool ValueEquals(object? x, object? y) => (x, y) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (byte[] bx, byte[] by) => bx.AsSpan().SequenceEqual(by),
        _ when IsInteger(x) && IsInteger(y) => Convert.ToDecimal(x, System.Globalization.CultureInfo.InvariantCulture) == Convert.ToDecimal(y, System.Globalization.CultureInfo.InvariantCulture),
        _ => Equals(x, y),
    };

    private static bool IsInteger(object value) =>
        value is byte or sbyte or short or ushort or int or uint or long or ulong;
}
