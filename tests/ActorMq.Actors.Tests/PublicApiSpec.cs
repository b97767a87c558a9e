using ActorMq.TestSupport;

namespace ActorMq.Actors.Tests;

/// <summary>
/// The public surfaces of ActorMq.Actors and ActorMq.TestKit are recorded in <c>PublicApi.*.approved.txt</c> so that
/// every change to them shows in review (later issues code against them).
/// </summary>
public sealed class PublicApiSpec
{
    [Theory]
    [InlineData("ActorMq.Actors")]
    [InlineData("ActorMq.TestKit")]
    public void Public_api_must_match_the_approved_list(string assemblyName)
    {
        var assembly = assemblyName == "ActorMq.Actors" ? typeof(ActorSystem).Assembly : typeof(TestProbe).Assembly;
        PublicApiVerifier.Verify(assembly, "ActorMq.Actors.Tests", $"PublicApi.{assemblyName}.approved.txt");
    }
}
