namespace ActorMq.Hosting;

/// <summary>
/// The Akka.Hosting <c>ActorRegistry</c> key of ActorMq's publisher endpoint (<see cref="ActorMqClient.Publisher"/>,
/// <c>/user/actormq</c>): tell it <see cref="Publishing.Publish"/> (replies <see cref="Publishing.Published"/> or
/// <see cref="Publishing.PublishFailed"/>) or <see cref="Connection.GetLinkState"/>. Registered when WithActorMq starts
/// the actors: inject <c>IRequiredActor&lt;ActorMqPublisher&gt;</c> or call <c>registry.Get&lt;ActorMqPublisher&gt;()</c>.
/// </summary>
public sealed class ActorMqPublisher
{
    private ActorMqPublisher()
    {
    }
}
