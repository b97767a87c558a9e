using ActorMq.TestSupport;
using Xunit;

namespace ActorMq.Tests;

/// <summary>The public surfaces of ActorMq, its SQLite store, its hosting and its TestKit are recorded in <c>PublicApi.*.approved.txt</c>, so every change shows in review.</summary>
public sealed class PublicApiSpec
{
    [Theory]
    [InlineData("ActorMq")]
    [InlineData("ActorMq.DeadStore.Sqlite")]
    [InlineData("ActorMq.Hosting")]
    [InlineData("ActorMq.TestKit")]
    public void Public_api_must_match_the_approved_list(string assemblyName)
    {
        var assembly = assemblyName switch
        {
            "ActorMq" => typeof(ActorMqClient).Assembly,
            "ActorMq.Hosting" => typeof(global::ActorMq.Hosting.ActorMqHostingBuilder).Assembly,
            "ActorMq.TestKit" => typeof(global::ActorMq.TestKit.Handlers.HandlerHarness).Assembly,
            _ => typeof(global::ActorMq.DeadStore.Sqlite.SqliteDeadLetterStore).Assembly,
        };
        PublicApiApproval.Verify(assembly, "ActorMq.Tests", $"PublicApi.{assemblyName}.approved.txt");
    }
}
