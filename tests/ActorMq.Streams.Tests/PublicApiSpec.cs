using ActorMq.TestSupport;
using Xunit;

namespace ActorMq.Streams.Tests;

/// <summary>The public surface of ActorMq.Streams is recorded in <c>PublicApi.ActorMq.Streams.approved.txt</c>, so every change shows in review.</summary>
public sealed class PublicApiSpec
{
    [Fact]
    public void Public_api_must_match_the_approved_list() =>
        PublicApiVerifier.Verify(typeof(ActorMqSource).Assembly, "ActorMq.Streams.Tests", "PublicApi.ActorMq.Streams.approved.txt");
}
