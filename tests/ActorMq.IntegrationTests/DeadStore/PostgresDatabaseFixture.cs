using Npgsql;
using Xunit;

namespace ActorMq.IntegrationTests.DeadStore;

/// <summary>
/// A fresh, empty database for one test class, dropped afterwards. The server is the one
/// <c>ACTORMQ_TEST_POSTGRES</c> names (an Npgsql connection string with the right to create
/// databases; <c>build.sh</c> exports it), or else a private cluster started for the class.
/// </summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    public const string ServerVariable = "ACTORMQ_TEST_POSTGRES";

    private PostgresCluster? _cluster;
    private string _serverConnectionString = "";

    public string DatabaseName { get; } = $"actormq_test_{Guid.NewGuid():N}";

    /// <summary>A connection string to this class's database.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            _cluster = await PostgresCluster.StartAsync();
            server = _cluster.ConnectionString;
        }
        _serverConnectionString = server;
        await ExecuteAsync($"CREATE DATABASE {DatabaseName}");
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = DatabaseName, Pooling = true }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync($"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)");
        }
        finally
        {
            if (_cluster is not null) await _cluster.DisposeAsync();
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_serverConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
