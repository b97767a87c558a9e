using ActorMq.TestSupport;
using Xunit;

namespace ActorMq.Admin.Tests;

/// <summary>The public surface of ActorMq.Admin is recorded in <c>PublicApi.ActorMq.Admin.approved.txt</c>, so every change shows in review.</summary>
public sealed class PublicApiSpec
{
    [Fact]
    public void Public_api_must_match_the_approved_list() =>
        PublicApiVerifier.Verify(typeof(ActorMqAdminServer).Assembly, "ActorMq.Admin.Tests", "PublicApi.ActorMq.Admin.approved.txt");
}
