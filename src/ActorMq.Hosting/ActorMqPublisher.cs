namespace ActorMq.Hosting;

/// <summary>
/// The <see cref="IActorRegistry"/> key of ActorMq's publisher endpoint (<see cref="ActorMqClient.Publisher"/>,
/// <c>/user/actormq</c>): tell it <see cref="Publishing.Publish"/> (replies <see cref="Publishing.Published"/> or
/// <see cref="Publishing.PublishFailed"/>) or <see cref="Connection.GetLinkState"/>. Registered when ActorMq starts:
/// <c>registry.Get&lt;ActorMqPublisher&gt;()</c>.
/// </summary>
public sealed class ActorMqPublisher
{
    private ActorMqPublisher()
    {
    }
}
