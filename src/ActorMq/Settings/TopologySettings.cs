using ActorMq.Topology;

namespace ActorMq.Settings;

/// <summary>Declarations from <c>actormq.topology</c> (ActorMq's own queues come from the consumers and retry settings).</summary>
/// <param name="GroupQueuePattern">Queue name of a consumer group (<c>{exchange}</c>, <c>{group}</c>).</param>
/// <param name="ParkedQueuePattern">Queue name of a work queue's dead-letter target (<c>{queue}</c>); empty = work queues have none.</param>
/// <param name="Exchanges">Exchanges to declare.</param>
/// <param name="Queues">Queues to declare.</param>
/// <param name="Bindings">Bindings to declare.</param>
/// <param name="Groups">Consumer groups declared at start by a producer.</param>
/// <param name="DelayedExchanges">Exchanges whose delay queues are declared at start.</param>
public sealed record TopologySettings(
    string GroupQueuePattern,
    string ParkedQueuePattern,
    IReadOnlyList<ExchangeDeclaration> Exchanges,
    IReadOnlyList<QueueDeclaration> Queues,
    IReadOnlyList<BindingDeclaration> Bindings,
    IReadOnlyList<GroupSettings> Groups,
    IReadOnlyList<string> DelayedExchanges)
{
    /// <summary>The HOCON path of this section.</summary>
    public const string Path = "actormq.topology";

    private static readonly (string, string)[] ExchangeTypes = [("direct", "direct"), ("fanout", "fanout"), ("topic", "topic"), ("headers", "headers")];

    /// <summary>Reads and validates <c>actormq.topology</c>.</summary>
    /// <exception cref="ConfigurationException">A value is missing or invalid.</exception>
    public static TopologySettings Create(Akka.Configuration.Config config)
    {
        var reader = SettingsReader.For(config, Path);
        var exchanges = reader.KeysOf("exchanges").Select(name =>
        {
            var entry = reader.Entry("exchanges", name, "exchange-defaults");
            var type = entry.String("type");
            if (type.Length == 0) throw entry.Invalid("type", "an exchange type: direct | fanout | topic | headers (or a plugin's)");
            return new ExchangeDeclaration(name, type, entry.Bool("durable"), entry.Bool("auto-delete"), entry.Arguments("arguments"));
        }).ToList();

        var queues = reader.KeysOf("queues").Select(name =>
        {
            var entry = reader.Entry("queues", name, "queue-defaults");
            var type = QueueTypeOf(entry);
            var arguments = new Dictionary<string, object?>(entry.Arguments("arguments"), StringComparer.Ordinal)
            {
                [TopologyArguments.QueueType] = TopologyShapes.TypeName(type),
            };
            var durable = entry.Bool("durable");
            var exclusive = entry.Bool("exclusive");
            if (type == QueueType.Quorum)
            {
                if (!durable) throw entry.Invalid("durable", "true for a quorum queue");
                if (exclusive) throw entry.Invalid("exclusive", "false for a quorum queue");
                arguments[TopologyArguments.DeliveryLimit] = entry.Int("delivery-limit", 1, int.MaxValue);
            }
            return new QueueDeclaration(name, durable, exclusive, entry.Bool("auto-delete"), arguments);
        }).ToList();

        var bindings = reader.KeysOf("bindings").SelectMany(label =>
        {
            var entry = reader.Entry("bindings", label, "binding-defaults");
            var exchange = entry.String("exchange");
            var queue = entry.String("queue");
            if (exchange.Length == 0) throw entry.Invalid("exchange", "the source exchange's name");
            if (queue.Length == 0) throw entry.Invalid("queue", "the destination queue's name");
            var arguments = entry.Arguments("arguments");
            var keys = entry.StringList("routing-keys");
            return (keys.Count == 0 ? [""] : keys).Select(key => new BindingDeclaration(exchange, queue, key, arguments));
        }).ToList();

        var groups = reader.KeysOf("groups").Select(label =>
        {
            var entry = reader.Entry("groups", label, "group-defaults");
            var exchange = entry.String("exchange");
            var group = entry.String("group");
            if (exchange.Length == 0) throw entry.Invalid("exchange", "the exchange's name");
            if (group.Length == 0) throw entry.Invalid("group", "the group's name");
            var type = entry.Enum("exchange-type", "fanout | topic | direct | headers", ExchangeTypes);
            var keys = entry.StringList("binding-keys");
            if (type is "topic" or "direct" && keys.Count == 0) throw entry.Invalid("binding-keys", $"at least one binding key for a {type} exchange");
            return new GroupSettings(exchange, type, group, keys, QueueTypeOf(entry), entry.Int("delivery-limit", 1, int.MaxValue));
        }).ToList();

        return new TopologySettings(
            reader.Pattern("group-queue-pattern", "{exchange}", "{group}"),
            reader.String("parked-queue-pattern") is { Length: 0 } ? "" : reader.Pattern("parked-queue-pattern", "{queue}"),
            exchanges, queues, bindings, groups, reader.StringList("delayed-exchanges"));
    }

    private static QueueType QueueTypeOf(SettingsReader entry) =>
        entry.Enum("queue-type", "classic | quorum", ("classic", QueueType.Classic), ("quorum", QueueType.Quorum));
}

/// <summary>A consumer group declared by a producer at start (<c>actormq.topology.groups</c>).</summary>
/// <param name="Exchange">The exchange.</param>
/// <param name="ExchangeType">fanout, topic, direct or headers.</param>
/// <param name="Group">The group.</param>
/// <param name="BindingKeys">Binding keys (empty = one empty key).</param>
/// <param name="QueueType">The group queue's type.</param>
/// <param name="DeliveryLimit">Quorum delivery limit.</param>
public sealed record GroupSettings(string Exchange, string ExchangeType, string Group, IReadOnlyList<string> BindingKeys, QueueType QueueType, int DeliveryLimit);
