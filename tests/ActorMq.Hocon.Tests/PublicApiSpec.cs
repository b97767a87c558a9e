using ActorMq.TestSupport;
using Xunit;

namespace ActorMq.Hocon.Tests;

/// <summary>The public surface of ActorMq.Hocon is recorded in PublicApi.approved.txt (other ActorMq projects code against it).</summary>
public sealed class PublicApiSpec
{
    [Fact]
    public void Public_api_must_match_the_approved_list() =>
        PublicApiVerifier.Verify(typeof(Config).Assembly, "ActorMq.Hocon.Tests", "PublicApi.approved.txt");
}
