using ActorMq.DeadStore;
using ActorMq.DeadStore.PostgreSql;
using Xunit;
using static ActorMq.Tests.DeadStore.DeadLetterSamples;

namespace ActorMq.IntegrationTests.DeadStore;

/// <summary>
/// The PostgreSQL store through a server outage. It always runs on a private cluster of its own
/// (never the shared server of <c>ACTORMQ_TEST_POSTGRES</c>), because it stops the server.
/// </summary>
public sealed class PostgreSqlOutageSpec : IAsyncLifetime
{
    private PostgresCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await PostgresCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task PostgreSql_store_must_fail_with_DeadStoreException_while_the_server_is_down_then_work_again()
    {
        await using var store = new PostgreSqlDeadLetterStore(PostgreSqlDeadLetterStoreSpec.Settings(_cluster.ConnectionString + ";Pooling=true", "actormq"));
        await store.InitializeAsync();
        var before = await store.AddAsync(Letter());

        await _cluster.StopAsync();
        var add = await Assert.ThrowsAsync<DeadStoreException>(() => store.AddAsync(Letter()));
        var claim = await Assert.ThrowsAsync<DeadStoreException>(() => store.ClaimForReplayAsync(DeadLetterFilter.All, 1, "operator"));

        Assert.Equal("add", add.Operation);
        Assert.Equal("claim for replay", claim.Operation);
        Assert.Contains($"127.0.0.1:{_cluster.Port}", add.Store);

        await _cluster.StartAgainAsync();
        var after = await store.AddAsync(Letter());
        Assert.NotNull(await store.GetAsync(before));
        Assert.NotNull(await store.GetAsync(after));
        Assert.Equal([before, after], (await store.ListAsync(new DeadLetterQuery { Limit = 10 })).Items.Select(r => r.Id));
    }
}
