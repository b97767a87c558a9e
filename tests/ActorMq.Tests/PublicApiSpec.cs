using ActorMq.TestSupport;
using Xunit;

namespace ActorMq.Tests;

/// <summary>The public surfaces of ActorMq, its stores, its hosting, its TestKit and the actormq command are recorded in <c>PublicApi.*.approved.txt</c>, so every change shows in review.</summary>
public sealed class PublicApiSpec
{
    [Theory]
    [InlineData("ActorMq")]
    [InlineData("ActorMq.DeadStore.Sqlite")]
    [InlineData("ActorMq.Hosting")]
    [InlineData("ActorMq.DeadStore.PostgreSql")]
    [InlineData("ActorMq.Cli")]
    [InlineData("ActorMq.TestKit")]
    public void Public_api_must_match_the_approved_list(string assemblyName)
    {
        var assembly = assemblyName switch
        {
            "ActorMq" => typeof(ActorMqClient).Assembly,
            "ActorMq.Hosting" => typeof(global::ActorMq.Hosting.ActorMqOptions).Assembly,
            "ActorMq.DeadStore.PostgreSql" => typeof(global::ActorMq.DeadStore.PostgreSql.PostgreSqlDeadLetterStore).Assembly,
            "ActorMq.Cli" => System.Reflection.Assembly.Load("ActorMq.Cli"),
            "ActorMq.TestKit" => typeof(global::ActorMq.TestKit.Handlers.HandlerHarness).Assembly,
            "ActorMq.DeadStore.Sqlite" => typeof(global::ActorMq.DeadStore.Sqlite.SqliteDeadLetterStore).Assembly,
            _ => throw new ArgumentOutOfRangeException(nameof(assemblyName), assemblyName, null),
        };
        PublicApiVerifier.Verify(assembly, "ActorMq.Tests", $"PublicApi.{assemblyName}.approved.txt");
    }
}
