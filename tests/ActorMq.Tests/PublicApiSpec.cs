using ActorMq.TestSupport;
using Xunit;

namespace ActorMq.Tests;

/// <summary>The public surfaces of ActorMq and its dead stores are recorded in <c>PublicApi.*.approved.txt</c>, so every change shows in review.</summary>
public sealed class PublicApiSpec
{
    [Theory]
    [InlineData("ActorMq")]
    [InlineData("ActorMq.DeadStore.Sqlite")]
    public void Public_api_must_match_the_approved_list(string assemblyName)
    {
        var assembly = assemblyName == "ActorMq" ? typeof(ActorMqClient).Assembly : typeof(global::ActorMq.DeadStore.Sqlite.SqliteDeadLetterStore).Assembly;
        PublicApiApproval.Verify(assembly, "ActorMq.Tests", $"PublicApi.{assemblyName}.approved.txt");
    }
}
