using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ActorMq.Benchmarks.Faults;

/// <summary>
/// The Erlang side several <see cref="FaultNode"/>s share: one private port mapper (epmd) and one cookie, so the nodes
/// can be clustered. Disposing stops every node started from it, then the port mapper.
/// </summary>
internal sealed class FaultNodes : IAsyncDisposable
{
    private readonly List<FaultNode> _nodes = [];

    public string EpmdPort { get; } = FaultNode.FreePort().ToString(CultureInfo.InvariantCulture);

    public string Cookie { get; } = Guid.NewGuid().ToString("N").ToUpperInvariant();

    /// <summary>Starts a node named <c>{prefix}-{name}@localhost</c> in a fresh temp directory and waits until it accepts AMQP.</summary>
    public async Task<FaultNode> StartAsync(string name)
    {
        var node = new FaultNode(this, $"actormq-faults-{Environment.ProcessId}-{name}@localhost");
        _nodes.Add(node);
        await node.StartAsync().ConfigureAwait(false);
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync().ConfigureAwait(false);
        await FaultNode.RunAsync("epmd", ["-port", EpmdPort, "-kill"], new Dictionary<string, string>(), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }
}

/// <summary>
/// A RabbitMQ node the fault harness owns, so it may break it: its own data directory (kept across restarts, so a
/// <c>kill -9</c> is followed by a start on the same data), loopback ports that stay the same, the OS process id of its
/// Erlang VM (<c>beam.smp</c>, from the pid file the node writes) for <c>kill -9</c>, <c>SIGSTOP</c> and <c>SIGCONT</c>.
/// A detached watchdog stops the node and removes its directory if the harness dies first.
/// </summary>
internal sealed class FaultNode : IAsyncDisposable
{
    private const string RabbitBin = "/usr/lib/rabbitmq/bin";
    private readonly FaultNodes _owner;
    private readonly string _dir = Directory.CreateTempSubdirectory("actormq-faults-rabbit.").FullName;
    private readonly int _distPort = FreePort();
    private Process? _server;
    private bool _frozen;

    internal FaultNode(FaultNodes owner, string nodeName)
    {
        _owner = owner;
        NodeName = nodeName;
        Port = FreePort();
    }

    public string NodeName { get; }

    public int Port { get; }

    public string AmqpUri => $"amqp://guest:guest@127.0.0.1:{Port}/";

    /// <summary>The OS process id of the node's Erlang VM while it runs.</summary>
    public int BeamPid { get; private set; }

    /// <summary>Starts the node (the first time, or again on the same data directory) and waits until it accepts AMQP.</summary>
    public async Task StartAsync()
    {
        if (_server is null)
        {
            Directory.CreateDirectory(Path.Combine(_dir, "mnesia"));
            Directory.CreateDirectory(Path.Combine(_dir, "log"));
            await File.WriteAllTextAsync(Path.Combine(_dir, "rabbitmq.conf"), $"listeners.tcp.default = 127.0.0.1:{Port}\nloopback_users = none\n").ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(_dir, "enabled_plugins"), "[].\n").ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(_dir, "rabbitmq-env.conf"), "").ConfigureAwait(false);
            var cookie = Path.Combine(_dir, ".erlang.cookie");
            await File.WriteAllTextAsync(cookie, _owner.Cookie).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(cookie, UnixFileMode.UserRead); // Erlang refuses a cookie others can read
            StartWatchdog();
        }
        File.Delete(Path.Combine(_dir, "rabbit.pid"));
        // setsid: the server leads its own process group (and is not a group leader before, so setsid execs in place).
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var a in new[] { "-c", "exec setsid \"$0\" >>\"$1/server.out\" 2>&1 </dev/null", Path.Combine(RabbitBin, "rabbitmq-server"), _dir })
            start.ArgumentList.Add(a);
        foreach (var (k, v) in ServerEnvironment()) start.Environment[k] = v;
        _server = Process.Start(start) ?? throw new InvalidOperationException($"rabbitmq-server for {NodeName} did not start");
        await File.WriteAllTextAsync(Path.Combine(_dir, "group.pid"), _server.Id.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_server.HasExited) throw new InvalidOperationException($"rabbitmq-server for {NodeName} exited with {_server.ExitCode}: {Tail()}");
            var (exit, _) = await RunAsync(Path.Combine(RabbitBin, "rabbitmqctl"), ["-n", NodeName, "-q", "ping"], CtlEnvironment(), TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            if (exit == 0) break;
            if (deadline.Elapsed > TimeSpan.FromMinutes(2)) throw new InvalidOperationException($"{NodeName} did not register within 2 minutes: {Tail()}");
            await Task.Delay(300).ConfigureAwait(false);
        }
        await CtlAsync("await_startup").ConfigureAwait(false);
        await WaitUntilAcceptingAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        BeamPid = int.Parse((await File.ReadAllTextAsync(Path.Combine(_dir, "rabbit.pid")).ConfigureAwait(false)).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary><c>kill -9</c> of the node's Erlang VM; returns once the process is gone.</summary>
    public async Task KillAsync()
    {
        using var beam = Process.GetProcessById(BeamPid);
        beam.Kill(); // SIGKILL on Unix
        await beam.WaitForExitAsync().ConfigureAwait(false);
        if (_server is not null) await _server.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary><c>SIGSTOP</c> of the Erlang VM: its sockets stay open, nothing answers.</summary>
    public Task FreezeAsync()
    {
        _frozen = true;
        return SignalAsync("-STOP");
    }

    /// <summary><c>SIGCONT</c>: the VM runs on.</summary>
    public async Task ThawAsync()
    {
        await SignalAsync("-CONT").ConfigureAwait(false);
        _frozen = false;
    }

    /// <summary>Stops the whole node (<c>rabbitmqctl stop</c>), as an operator or a failed machine would take it away.</summary>
    public async Task StopAsync()
    {
        await CtlAsync("stop").ConfigureAwait(false);
        if (_server is not null) await _server.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>Runs <c>rabbitmqctl -n node -q ARGS</c>; a non-zero exit throws with the output.</summary>
    public async Task<string> CtlAsync(params string[] arguments) => await ToolAsync("rabbitmqctl", arguments).ConfigureAwait(false);

    /// <summary>Runs another RabbitMQ CLI tool (<c>rabbitmq-queues</c>) against this node.</summary>
    public async Task<string> ToolAsync(string tool, params string[] arguments)
    {
        var (exit, output) = await RunAsync(Path.Combine(RabbitBin, tool), ["-n", NodeName, "-q", .. arguments], CtlEnvironment(), TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        return exit == 0 ? output : throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} on {NodeName} exited with {exit}: {output.Trim()}");
    }

    /// <summary>Polls the AMQP port until a TCP connect succeeds; returns when it did.</summary>
    public async Task WaitUntilAcceptingAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, Port).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < timeout)
            {
                await Task.Delay(20).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_frozen) await ThawAsync().ConfigureAwait(false);
        if (_server is { HasExited: false } server)
        {
            await RunAsync("kill", ["-TERM", "--", "-" + server.Id.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string>(), TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await server.WaitForExitAsync(patience.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await RunAsync("kill", ["-KILL", "--", "-" + server.Id.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string>(), TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
        }
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process: the watchdog removes the directory.
        }
    }

    private Task SignalAsync(string signal) =>
        RunAsync("kill", [signal, BeamPid.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string>(), TimeSpan.FromSeconds(5));

    private Dictionary<string, string> CtlEnvironment() => new()
    {
        ["HOME"] = _dir,
        ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(_dir, "rabbitmq-env.conf"),
        ["ERL_EPMD_PORT"] = _owner.EpmdPort,
        ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
    };

    private Dictionary<string, string> ServerEnvironment()
    {
        var env = CtlEnvironment();
        env["ERL_CRASH_DUMP"] = Path.Combine(_dir, "erl_crash.dump");
        env["RABBITMQ_NODENAME"] = NodeName;
        env["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        env["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture);
        env["RABBITMQ_DIST_PORT"] = _distPort.ToString(CultureInfo.InvariantCulture);
        env["RABBITMQ_MNESIA_BASE"] = Path.Combine(_dir, "mnesia");
        env["RABBITMQ_LOG_BASE"] = Path.Combine(_dir, "log");
        env["RABBITMQ_CONFIG_FILE"] = Path.Combine(_dir, "rabbitmq");
        env["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_dir, "enabled_plugins");
        env["RABBITMQ_PID_FILE"] = Path.Combine(_dir, "rabbit.pid");
        env["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(_dir, "advanced.config");
        env["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}";
        return env;
    }

    private string Tail()
    {
        var path = Path.Combine(_dir, "server.out");
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        return text.Length > 1500 ? text[^1500..] : text;
    }

    /// <summary>
    /// A detached shell that outlives the harness: once the harness is gone it wakes, stops and kills the node's
    /// current process group and VM (read from the files the node's starts write) and removes the directory.
    /// </summary>
    private void StartWatchdog()
    {
        const string script = """
            owner=$1 dir=$2
            while kill -0 "$owner" 2>/dev/null; do sleep 1; done
            [ -d "$dir" ] || exit 0
            beam=$(cat "$dir/rabbit.pid" 2>/dev/null) group=$(cat "$dir/group.pid" 2>/dev/null)
            [ -n "$beam" ] && kill -CONT "$beam" 2>/dev/null
            [ -n "$group" ] && kill -TERM -- "-$group" 2>/dev/null
            sleep 10
            [ -n "$group" ] && kill -KILL -- "-$group" 2>/dev/null
            [ -n "$beam" ] && kill -KILL "$beam" 2>/dev/null
            rm -rf "$dir"
            """;
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "sh", "-c", script, "actormq-faults-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), _dir })
            info.ArgumentList.Add(a);
        using var watchdog = Process.Start(info) ?? throw new InvalidOperationException("could not start the node watchdog");
        watchdog.StandardInput.Close();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static async Task<(int Exit, string Output)> RunAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> env, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not run {file}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{Path.GetFileName(file)} did not finish within {timeout}");
        }
        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }
}
