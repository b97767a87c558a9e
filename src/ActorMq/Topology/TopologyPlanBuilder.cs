namespace ActorMq.Topology;

/// <summary>
/// Collects declarations (from HOCON and from code) into a <see cref="TopologyPlan"/>. Declaring
/// the same thing twice is harmless; declaring the same name two different ways is an error that
/// names both declarations, caught here rather than by the broker.
/// </summary>
public sealed class TopologyPlanBuilder
{
    private readonly List<ExchangeDeclaration> _exchanges = [];
    private readonly List<QueueDeclaration> _queues = [];
    private readonly List<BindingDeclaration> _bindings = [];

    /// <summary>Adds an exchange.</summary>
    /// <exception cref="ActorMqException">The exchange is already declared with different properties.</exception>
    public TopologyPlanBuilder AddExchange(ExchangeDeclaration exchange)
    {
        AddNamed(_exchanges, exchange, "exchange", e => e.Name, (a, b) => a.IsEquivalentTo(b), Describe);
        return this;
    }

    /// <summary>Adds a queue.</summary>
    /// <exception cref="ActorMqException">The queue is already declared with different properties.</exception>
    public TopologyPlanBuilder AddQueue(QueueDeclaration queue)
    {
        AddNamed(_queues, queue, "queue", q => q.Name, (a, b) => a.IsEquivalentTo(b), Describe);
        return this;
    }

    private static void AddNamed<T>(List<T> declared, T item, string kind, Func<T, string> name, Func<T, T, bool> equivalent, Func<T, string> describe)
    {
        var existing = declared.FirstOrDefault(d => name(d) == name(item));
        if (existing is null) declared.Add(item);
        else if (!equivalent(existing, item))
            throw new ActorMqException($"{kind} '{name(item)}' is declared twice with different properties: {describe(existing)} and {describe(item)}");
    }

    /// <summary>Adds a binding (an identical binding is added once).</summary>
    public TopologyPlanBuilder AddBinding(BindingDeclaration binding)
    {
        if (!_bindings.Any(b => b.IsEquivalentTo(binding))) _bindings.Add(binding);
        return this;
    }

    /// <summary>The plan: exchanges, queues and bindings in the order they were first added.</summary>
    public TopologyPlan Build() => new([.. _exchanges], [.. _queues], [.. _bindings]);

    private static string Describe(ExchangeDeclaration e) =>
        $"{{type={e.Type}, durable={e.Durable}, auto-delete={e.AutoDelete}, arguments={DescribeArguments(e.Arguments)}}}";

    private static string Describe(QueueDeclaration q) =>
        $"{{durable={q.Durable}, exclusive={q.Exclusive}, auto-delete={q.AutoDelete}, arguments={DescribeArguments(q.Arguments)}}}";

    internal static string DescribeArguments(IReadOnlyDictionary<string, object?> arguments) =>
        "{" + string.Join(", ", arguments.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}")) + "}";
}
