using System.Diagnostics;
using System.Globalization;

namespace ActorMq.Benchmarks.Throughput;

/// <summary>
/// CPU time spent by this process and by the broker's OS process over a measurement, so a note can say where the
/// machine's cores went (on two cores the client's CPU is taken from the broker). The broker's process is found through
/// the pid file of the private node build.sh starts (<c>$ACTORMQ_TEST_RABBIT_HOME/rabbit.pid</c>); when it is not
/// readable only the client's CPU is given.
/// </summary>
internal sealed class CpuMeter
{
    private static readonly int? BrokerPid = FindBrokerPid();
    private readonly TimeSpan _client = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly TimeSpan? _broker = BrokerCpu();
    private readonly long _started = Stopwatch.GetTimestamp();

    public static CpuMeter Start() => new();

    /// <summary>The CPU used since the start for <paramref name="messages"/> messages.</summary>
    public CpuUse Describe(int messages)
    {
        var wall = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var client = Process.GetCurrentProcess().TotalProcessorTime - _client;
        var text = Part("client", client, messages, wall);
        if (_broker is { } before && BrokerCpu() is { } after) text += ", " + Part("broker", after - before, messages, wall);
        return new CpuUse(client.TotalMilliseconds * 1000 / messages, text);
    }

    private static string Part(string who, TimeSpan cpu, int messages, double wall) =>
        string.Create(CultureInfo.InvariantCulture, $"{who} {cpu.TotalMilliseconds * 1000 / messages:0.0} µs/msg ({cpu.TotalSeconds / wall:0.00} cores)");

    private static int? FindBrokerPid()
    {
        var home = Environment.GetEnvironmentVariable("ACTORMQ_TEST_RABBIT_HOME");
        if (home is null) return null;
        try
        {
            return int.TryParse(File.ReadAllText(Path.Combine(home, "rabbit.pid")).Trim(), out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>utime + stime of the broker's process from /proc (Linux), or null.</summary>
    private static TimeSpan? BrokerCpu()
    {
        if (BrokerPid is not { } pid) return null;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ", field 3 (state) is index 0: utime is field 14, stime field 15.
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}

/// <summary>A timed publish: msg/s until the last confirm, and the CPU spent from the clock's start to its stop.</summary>
internal sealed record PublishRun(double Rate, CpuUse Cpu);

/// <summary>CPU used by one measurement.</summary>
/// <param name="ClientMicrosPerMessage">This process's CPU time per message, in µs.</param>
/// <param name="Text">"client 9.1 µs/msg (0.12 cores), broker 60.2 µs/msg (0.80 cores)".</param>
internal sealed record CpuUse(double ClientMicrosPerMessage, string Text)
{
    public override string ToString() => Text;
}
