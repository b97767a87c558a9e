using ActorMq.Settings;
using ActorMq.Topology;
using Xunit;

namespace ActorMq.Tests.Settings;

public sealed class TopologySettingsSpec
{
    [Fact]
    public void Topology_must_read_exchanges_queues_bindings_and_groups_over_their_templates()
    {
        var topology = ActorMqSettings.Create(Conf.Of("""
            actormq.topology {
              exchanges {
                orders { type = topic }
                events { type = fanout, arguments { alternate-exchange = unroutable } }
              }
              queues {
                audit { queue-type = quorum, delivery-limit = 50, arguments { x-max-length = 100000 } }
                scratch { durable = false, auto-delete = true }
              }
              bindings {
                audit-orders { exchange = orders, queue = audit, routing-keys = ["order.created", "order.paid"] }
              }
              groups {
                shipping { exchange = orders, exchange-type = topic, group = shipping, binding-keys = ["order.paid"] }
              }
              delayed-exchanges = [orders]
            }
            """)).Topology;

        Assert.Equal(new[] { ("orders", "topic"), ("events", "fanout") }, topology.Exchanges.Select(e => (e.Name, e.Type)));
        Assert.All(topology.Exchanges, e => Assert.True(e.Durable));
        Assert.Equal("unroutable", topology.Exchanges[1].Arguments["alternate-exchange"]);

        var audit = topology.Queues[0];
        Assert.Equal("quorum", audit.Arguments[TopologyArguments.QueueType]);
        Assert.Equal(50, audit.Arguments[TopologyArguments.DeliveryLimit]);
        Assert.Equal(100000L, audit.Arguments["x-max-length"]);
        var scratch = topology.Queues[1];
        Assert.False(scratch.Durable);
        Assert.True(scratch.AutoDelete);
        Assert.Equal("classic", scratch.Arguments[TopologyArguments.QueueType]);
        Assert.False(scratch.Arguments.ContainsKey(TopologyArguments.DeliveryLimit));

        Assert.Equal(["order.created", "order.paid"], topology.Bindings.Select(b => b.RoutingKey));
        Assert.All(topology.Bindings, b => Assert.Equal(("orders", "audit"), (b.Exchange, b.Queue)));
        Assert.Equal(new GroupSettings("orders", "topic", "shipping", topology.Groups[0].BindingKeys, QueueType.Classic, topology.Groups[0].DeliveryLimit), topology.Groups[0]);
        Assert.Equal(["orders"], topology.DelayedExchanges);
    }

    [Fact]
    public void A_binding_without_a_queue_must_name_its_path()
    {
        var error = Assert.Throws<ConfigurationException>(() => ActorMqSettings.Create(Conf.Of("actormq.topology.bindings.b1 { exchange = orders }")));
        Assert.Equal("actormq.topology.bindings.b1.queue", error.Path);
    }

    [Fact]
    public void A_non_durable_quorum_queue_must_be_rejected()
    {
        var error = Assert.Throws<ConfigurationException>(() => ActorMqSettings.Create(Conf.Of("actormq.topology.queues.q { queue-type = quorum, durable = false }")));
        Assert.Equal("actormq.topology.queues.q.durable", error.Path);
    }
}
