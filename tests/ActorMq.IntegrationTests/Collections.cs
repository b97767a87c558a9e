using Xunit;

namespace ActorMq.IntegrationTests;

/// <summary>
/// Tests that stop, restart or alarm the shared broker node. xunit runs this collection alone,
/// after the parallel ones, so no other test class sees its faults.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerFaultsCollection
{
    public const string Name = "broker faults";
}
