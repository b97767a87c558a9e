using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ActorMq.IntegrationTests.DeadStore;

/// <summary>
/// A private PostgreSQL cluster for tests: Debian's server binaries, <c>initdb</c> in a temp
/// directory, <c>pg_ctl</c> on a free loopback port, trust authentication for 127.0.0.1. The
/// binaries refuse to run as root, so as root they run as the <c>postgres</c> user
/// (<c>runuser</c>) on a directory that user owns. Stopped and deleted on dispose.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private const string BinariesRoot = "/usr/lib/postgresql";
    private readonly string _bin;
    private readonly string _directory;
    private bool _running;

    private PostgresCluster(string bin, string directory, int port)
    {
        _bin = bin;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>A superuser connection string to the <c>postgres</c> database.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Database = "postgres", Pooling = false,
    }.ConnectionString;

    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = FindBinaries();
        var directory = Directory.CreateTempSubdirectory("actormq-pg-").FullName;
        var cluster = new PostgresCluster(bin, directory, FreePort());
        try
        {
            if (Environment.IsPrivilegedProcess) await RunAsync("chown", "-R", "postgres:postgres", directory);
            await cluster.RunPostgresAsync("initdb", "-D", cluster.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync");
            await cluster.StartAgainAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the (stopped) cluster and waits until it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        var options = $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200";
        await RunPostgresAsync("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-o", options, "-w", "-t", "120", "start");
        _running = true;
    }

    /// <summary>Stops the cluster at once (<c>pg_ctl stop -m fast</c>): open connections are cut.</summary>
    public async Task StopAsync()
    {
        await RunPostgresAsync("pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "stop");
        _running = false;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_running) await StopAsync();
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string FindBinaries()
    {
        var bin = Directory.Exists(BinariesRoot)
            ? Directory.GetDirectories(BinariesRoot)
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => b.Contains("/15/", StringComparison.Ordinal))
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            $"no PostgreSQL server binaries (initdb, pg_ctl) under {BinariesRoot}/*/bin: install them with 'apt-get install postgresql', " +
            "or point ACTORMQ_TEST_POSTGRES at a server where the tests may create databases");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task RunPostgresAsync(string tool, params string[] arguments)
    {
        var path = Path.Combine(_bin, tool);
        return Environment.IsPrivilegedProcess
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments])
            : RunAsync(path, arguments);
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath(),
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
    }
}
