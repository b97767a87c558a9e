using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorMq.TestKit.Broker;

/// <summary>
/// A RabbitMQ node for integration tests. <see cref="SharedAsync"/> returns the node named by the
/// environment (<c>ACTORMQ_TEST_AMQP_URI</c>, set by <c>./build.sh test</c>) or, when that is absent and
/// Debian's <c>rabbitmq-server</c> is installed, a private node it starts itself: a free loopback
/// port, its own node name, temp directory, Erlang cookie and port mapper. A private node is stopped
/// when the test process exits.
/// </summary>
/// <remarks>
/// <c>rabbitmqctl</c> reaches the node through <c>ACTORMQ_TEST_RABBIT_NODE</c>, <c>ACTORMQ_TEST_RABBIT_HOME</c>
/// (the directory holding the Erlang cookie) and <c>ACTORMQ_TEST_RABBIT_EPMD_PORT</c>, which build.sh
/// exports beside the URI. Without them the default local node is assumed.
/// </remarks>
public sealed class RabbitMqNode : IAsyncDisposable
{
    private const string RabbitBin = "/usr/lib/rabbitmq/bin";
    private static readonly SemaphoreSlim SharedGate = new(1, 1);
    private static RabbitMqNode? _shared;

    private readonly string? _home;
    private readonly string? _epmdPort;
    private readonly Process? _server;
    private readonly string? _ownedDirectory;
    private int _disposed;

    private RabbitMqNode(Uri amqpUri, string nodeName, string? home, string? epmdPort, Process? server, string? ownedDirectory)
    {
        AmqpUri = amqpUri;
        NodeName = nodeName;
        _home = home;
        _epmdPort = epmdPort;
        _server = server;
        _ownedDirectory = ownedDirectory;
    }

    /// <summary>The node's AMQP URI for the default virtual host, with the <c>guest</c> user.</summary>
    public Uri AmqpUri { get; }

    /// <summary>The Erlang node name, e.g. <c>actormq-1234-5678@localhost</c>.</summary>
    public string NodeName { get; }

    /// <summary>True when this process started the node (and will stop it).</summary>
    public bool IsPrivate => _server is not null;

    /// <summary>
    /// The node every test in this process shares: the environment's, or a private one started on
    /// first use. Thread-safe; the node is started once.
    /// </summary>
    public static async Task<RabbitMqNode> SharedAsync(CancellationToken cancellationToken = default)
    {
        if (_shared is { } existing) return existing;
        await SharedGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_shared is null)
            {
                _shared = await FromEnvironmentOrStartAsync(cancellationToken).ConfigureAwait(false);
                if (_shared.IsPrivate)
                {
                    var node = _shared;
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => node.StopSynchronously();
                }
            }
            return _shared;
        }
        finally
        {
            SharedGate.Release();
        }
    }

    /// <summary>
    /// Runs <c>rabbitmqctl</c> against this node and returns its standard output; a non-zero exit
    /// becomes an <see cref="InvalidOperationException"/> carrying the command and its output.
    /// </summary>
    public async Task<string> CtlAsync(string[] arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var args = new List<string> { "-n", NodeName, "-q" };
        args.AddRange(arguments);
        var (exit, output) = await RunAsync(Path.Combine(RabbitBin, "rabbitmqctl"), args, CtlEnvironment(),
            timeout ?? TimeSpan.FromSeconds(120), cancellationToken).ConfigureAwait(false);
        if (exit != 0)
            throw new InvalidOperationException(
                $"rabbitmqctl {string.Join(' ', arguments)} on node {NodeName} failed with exit code {exit}: {output.Trim()}");
        return output;
    }

    /// <summary>Stops the RabbitMQ application (listeners close, every connection drops); the Erlang node stays up.</summary>
    public Task StopAppAsync(CancellationToken cancellationToken = default) =>
        CtlAsync(["stop_app"], cancellationToken: cancellationToken);

    /// <summary>Starts the RabbitMQ application again and waits until it accepts connections.</summary>
    public async Task StartAppAsync(CancellationToken cancellationToken = default)
    {
        await CtlAsync(["start_app"], cancellationToken: cancellationToken).ConfigureAwait(false);
        await CtlAsync(["await_startup"], cancellationToken: cancellationToken).ConfigureAwait(false);
        await WaitForPortAsync(AmqpUri.Port, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops a private node (no-op for a node this process did not start).</summary>
    public ValueTask DisposeAsync()
    {
        StopSynchronously();
        return ValueTask.CompletedTask;
    }

    private void StopSynchronously()
    {
        if (_server is null || Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try
        {
            if (!_server.HasExited)
            {
                // SIGTERM makes the Erlang VM shut the node down cleanly and quickly; the process that
                // owns this handler may be given little time at exit, so no rabbitmqctl round trip here.
                RunSync("kill", ["-TERM", "--", "-" + _server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                    new Dictionary<string, string>(), TimeSpan.FromSeconds(5));
                if (!_server.WaitForExit(TimeSpan.FromSeconds(20))) _server.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // The server is already gone.
        }
        finally
        {
            if (_epmdPort is not null)
                RunSync("epmd", ["-port", _epmdPort, "-kill"], new Dictionary<string, string>(), TimeSpan.FromSeconds(10));
            if (_ownedDirectory is not null)
            {
                try { Directory.Delete(_ownedDirectory, recursive: true); }
                catch (IOException) { /* a file still held open by a dying process: the temp dir is left behind */ }
                catch (UnauthorizedAccessException) { }
            }
        }
    }

    private Dictionary<string, string> CtlEnvironment()
    {
        var env = new Dictionary<string, string>();
        if (_home is not null)
        {
            env["HOME"] = _home;
            env["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(_home, "rabbitmq-env.conf");
        }
        if (_epmdPort is not null)
        {
            env["ERL_EPMD_PORT"] = _epmdPort;
            env["ERL_EPMD_ADDRESS"] = "127.0.0.1";
        }
        return env;
    }

    private static async Task<RabbitMqNode> FromEnvironmentOrStartAsync(CancellationToken cancellationToken)
    {
        var uri = Environment.GetEnvironmentVariable("ACTORMQ_TEST_AMQP_URI");
        if (!string.IsNullOrWhiteSpace(uri))
        {
            var node = Environment.GetEnvironmentVariable("ACTORMQ_TEST_RABBIT_NODE");
            if (string.IsNullOrWhiteSpace(node)) node = "rabbit@localhost";
            return new RabbitMqNode(new Uri(uri), node,
                NullIfEmpty(Environment.GetEnvironmentVariable("ACTORMQ_TEST_RABBIT_HOME")),
                NullIfEmpty(Environment.GetEnvironmentVariable("ACTORMQ_TEST_RABBIT_EPMD_PORT")),
                server: null, ownedDirectory: null);
        }

        if (!File.Exists(Path.Combine(RabbitBin, "rabbitmq-server")))
            throw new InvalidOperationException(
                "No RabbitMQ broker for the integration tests: ACTORMQ_TEST_AMQP_URI is not set and rabbitmq-server is not installed. " +
                "Run the tests with ./build.sh test, or install the broker: sudo apt-get install -y rabbitmq-server");

        Exception? last = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            try
            {
                return await StartPrivateAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                last = e;
            }
        }
        throw new InvalidOperationException("Could not start a private RabbitMQ node after 3 attempts.", last);
    }

    private static async Task<RabbitMqNode> StartPrivateAsync(CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("actormq-rabbit.").FullName;
        var port = FreePort();
        var distPort = FreePort();
        var epmdPort = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var nodeName = $"actormq-{Environment.ProcessId}-{Random.Shared.Next(100000)}@localhost";
        Directory.CreateDirectory(Path.Combine(dir, "mnesia"));
        Directory.CreateDirectory(Path.Combine(dir, "log"));
        await File.WriteAllTextAsync(Path.Combine(dir, "rabbitmq.conf"),
            $"listeners.tcp.default = 127.0.0.1:{port}\nloopback_users = none\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(dir, "enabled_plugins"), "[].\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(dir, "rabbitmq-env.conf"), "", cancellationToken).ConfigureAwait(false);

        // setsid: the node leads its own process group, so a stop reaches every process it started.
        var start = new ProcessStartInfo("setsid")
        {
            ArgumentList = { Path.Combine(RabbitBin, "rabbitmq-server") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var env = new Dictionary<string, string>
        {
            ["HOME"] = dir,
            ["ERL_EPMD_PORT"] = epmdPort,
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["ERL_CRASH_DUMP"] = Path.Combine(dir, "erl_crash.dump"),
            ["RABBITMQ_NODENAME"] = nodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(dir, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(dir, "log"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(dir, "rabbitmq"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(dir, "enabled_plugins"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(dir, "rabbitmq-env.conf"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(dir, "rabbit.pid"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(dir, "advanced.config"),
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
        };
        foreach (var (k, v) in env) start.Environment[k] = v;
        var server = Process.Start(start) ?? throw new InvalidOperationException("rabbitmq-server did not start");
        var serverOutput = new StringBuilder();
        server.OutputDataReceived += (_, e) => { lock (serverOutput) serverOutput.AppendLine(e.Data); };
        server.ErrorDataReceived += (_, e) => { lock (serverOutput) serverOutput.AppendLine(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();

        var node = new RabbitMqNode(new Uri($"amqp://guest:guest@127.0.0.1:{port}/"), nodeName, dir, epmdPort, server, dir);
        StartWatchdog(server.Id, epmdPort, dir);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (true)
            {
                if (server.HasExited)
                    throw new InvalidOperationException($"rabbitmq-server exited with {server.ExitCode} during start: {Tail(serverOutput)}");
                var (exit, _) = await RunAsync(Path.Combine(RabbitBin, "rabbitmqctl"), ["-n", nodeName, "-q", "ping"],
                    node.CtlEnvironment(), TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                if (exit == 0) break;
                if (DateTime.UtcNow > deadline)
                    throw new InvalidOperationException($"rabbitmq-server did not register within 120 s: {Tail(serverOutput)}");
                await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            }
            await node.CtlAsync(["await_startup"], cancellationToken: cancellationToken).ConfigureAwait(false);
            await WaitForPortAsync(port, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        static string Tail(StringBuilder sb)
        {
            lock (sb)
            {
                var text = sb.ToString();
                return text.Length > 2000 ? text[^2000..] : text;
            }
        }
    }

    /// <summary>
    /// A detached shell that outlives this process: once it is gone (normal exit, crash, or a test host
    /// killed by its runner) it stops the node's process group, the private port mapper, and deletes the
    /// node's directory. Exit handlers alone are not enough: test runners kill their hosts.
    /// </summary>
    private static void StartWatchdog(int serverPid, string epmdPort, string dir)
    {
        const string script = """
            owner=$1 server=$2 epmd_port=$3 dir=$4
            while kill -0 "$owner" 2>/dev/null; do sleep 1; done
            kill -TERM -- "-$server" 2>/dev/null
            i=0
            while kill -0 "$server" 2>/dev/null && [ $i -lt 60 ]; do sleep 1; i=$((i+1)); done
            kill -KILL -- "-$server" 2>/dev/null
            epmd -port "$epmd_port" -kill >/dev/null 2>&1
            rm -rf "$dir"
            """;
        var info = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "sh", "-c", script, "actormq-rabbit-watchdog",
                     Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     serverPid.ToString(System.Globalization.CultureInfo.InvariantCulture), epmdPort, dir })
            info.ArgumentList.Add(a);
        using var watchdog = Process.Start(info) ?? throw new InvalidOperationException("could not start the broker watchdog");
        watchdog.StandardInput.Close();
    }

    private static async Task WaitForPortAsync(int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static async Task<(int Exit, string Output)> RunAsync(string file, IEnumerable<string> args,
        IReadOnlyDictionary<string, string> env, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not run {file}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} did not finish within {timeout}");
        }
        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }

    private static void RunSync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> env, TimeSpan timeout)
    {
        try
        {
            var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) info.ArgumentList.Add(a);
            foreach (var (k, v) in env) info.Environment[k] = v;
            using var process = Process.Start(info);
            if (process is null) return;
            if (!process.WaitForExit(timeout)) process.Kill(entireProcessTree: true);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The tool is missing: nothing to stop with it.
        }
    }
}
