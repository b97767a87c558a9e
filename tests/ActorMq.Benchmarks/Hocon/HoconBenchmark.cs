using System.Diagnostics;
using System.Globalization;
using System.Text;
using ActorMq.Hocon;

namespace ActorMq.Benchmarks.Hocon;

/// <summary>
/// Parse + resolve throughput and allocations of ActorMq.Hocon: a generated ~2,000-key configuration with
/// substitutions, self-references and includes (files in a temporary directory), and hocon/reference.conf.
/// </summary>
public sealed class HoconBenchmark : IBenchmarkSuite
{
    private const int Sections = 45;
    private const int KeysPerSection = 40;
    private const int IncludedFiles = 10;
    private const int KeysPerInclude = 20;

    /// <inheritdoc />
    public string Name => "hocon";

    /// <inheritdoc />
    public string Description => "HOCON parse+resolve: generated 2,000-key config with substitutions and includes; hocon/reference.conf";

    /// <inheritdoc />
    public Task RunAsync(BenchmarkContext context)
    {
        var directory = Path.Combine(Path.GetTempPath(), "actormq-hocon-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var (mainPath, inputBytes, keys) = Generate(directory);
            var options = new ConfigResolveOptions { UseEnvironment = false };

            // sanity: the generated config resolves to what we wrote
            var check = ConfigFactory.ParseFile(mainPath).Resolve(options);
            if (check.GetInt("section-3.key-7") != 7 || check.GetStringList("section-0.list").Count != 3)
                throw new InvalidOperationException("generated configuration did not resolve as expected");
            context.Note($"generated config: {keys} keys, {inputBytes} bytes in 1 + {IncludedFiles} files");

            var large = Measure(() => ConfigFactory.ParseFile(mainPath).Resolve(options), inputBytes, runs: 200);
            context.Report("hocon.parse.mb_per_s", large.MbPerCpuSecond);
            context.Report("hocon.parse.alloc_ratio", large.AllocRatio);
            context.Report("hocon.parse.wall_mb_per_s", large.MbPerWallSecond);
            context.Report("hocon.parse.cpu_ms_per_run", large.CpuMsPerRun);
            context.Report("hocon.parse.input_bytes", inputBytes);
            context.Report("hocon.parse.keys", keys);

            var text = File.ReadAllText(mainPath);
            var parseOnly = Measure(() => ConfigFactory.ParseString(text, new ConfigParseOptions { BaseDirectory = directory }), Encoding.UTF8.GetByteCount(text), runs: 50);
            context.Report("hocon.parse_string.mb_per_s", parseOnly.MbPerCpuSecond);
            context.Report("hocon.parse_string.alloc_ratio", parseOnly.AllocRatio);
            var parsed = ConfigFactory.ParseFile(mainPath);
            var resolveOnly = Measure(() => parsed.Resolve(options), inputBytes, runs: 50);
            context.Report("hocon.resolve_only.mb_per_s", resolveOnly.MbPerCpuSecond);
            context.Report("hocon.resolve_only.alloc_ratio", resolveOnly.AllocRatio);

            var reference = FindReferenceConf();
            if (reference is null)
            {
                context.Note("hocon/reference.conf not found above " + AppContext.BaseDirectory);
            }
            else
            {
                var referenceBytes = new FileInfo(reference).Length;
                var referenceRun = Measure(() => ConfigFactory.ParseFile(reference).Resolve(options), referenceBytes, runs: 200);
                context.Report("hocon.reference.mb_per_s", referenceRun.MbPerCpuSecond);
                context.Report("hocon.reference.alloc_ratio", referenceRun.AllocRatio);
                context.Report("hocon.reference.cpu_us_per_run", referenceRun.CpuMsPerRun * 1000);
                context.Report("hocon.reference.input_bytes", referenceBytes);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
        return Task.CompletedTask;
    }

    private sealed record Result(double MbPerCpuSecond, double MbPerWallSecond, double AllocRatio, double CpuMsPerRun);

    /// <summary>
    /// Runs <paramref name="run"/> repeatedly after a warm-up. Throughput is per CPU-second of this process
    /// (other processes on a shared machine do not distort it); wall-clock throughput is reported beside it.
    /// Allocation is what this thread allocated per run, divided by the input size.
    /// </summary>
    private static Result Measure(Func<Config> run, long inputBytes, int runs)
    {
        for (var i = 0; i < runs; i++) run(); // warm-up as long as the measurement: lets tiered JIT finish
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++) run();
        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var megabytes = inputBytes * (double)runs / 1_000_000;
        return new Result(
            Math.Round(megabytes / Math.Max(cpuSeconds, 1e-9), 2),
            Math.Round(megabytes / watch.Elapsed.TotalSeconds, 2),
            Math.Round(allocated / (double)runs / inputBytes, 2),
            Math.Round(cpuSeconds * 1000 / runs, 3));
    }

    /// <summary>Writes the main file and its includes; returns the main path, total bytes and number of leaf keys.</summary>
    private static (string MainPath, long Bytes, int Keys) Generate(string directory)
    {
        var keys = 0;
        long bytes = 0;
        for (var f = 0; f < IncludedFiles; f++)
        {
            var part = new StringBuilder();
            part.Append("# included part ").Append(f).Append('\n');
            for (var k = 0; k < KeysPerInclude; k++)
            {
                part.Append("inc-key-").Append(k).Append(" = ").Append(k % 3 == 0 ? "${shared.base}\"-" + k + "\"" : "\"value " + k + "\"").Append('\n');
                keys++;
            }
            var partPath = Path.Combine(directory, $"part-{f}.conf");
            File.WriteAllText(partPath, part.ToString());
            bytes += new FileInfo(partPath).Length;
        }

        var main = new StringBuilder();
        main.Append("# generated benchmark configuration\n");
        main.Append("shared {\n  base = \"http://example.org\"\n  timeout = 30s\n  size = 64MiB\n}\n");
        keys += 3;
        for (var s = 0; s < Sections; s++)
        {
            main.Append("section-").Append(s).Append(" {\n");
            for (var k = 0; k < KeysPerSection - 4; k++)
            {
                main.Append("  key-").Append(k).Append(" = ");
                switch (k % 6)
                {
                    case 0: main.Append(k); break;
                    case 1: main.Append('"').Append("quoted string ").Append(k).Append(" with \\\"escapes\\\"").Append('"'); break;
                    case 2: main.Append("unquoted words ").Append(k); break;
                    case 3: main.Append("${shared.timeout}"); break;
                    case 4: main.Append(k).Append(".5"); break;
                    default: main.Append("[ a, b, ").Append(k).Append(" ]"); break;
                }
                main.Append(" # comment ").Append(k).Append('\n');
                keys++;
            }
            main.Append("  size = ${shared.size}\n");
            main.Append("  list = [ x, y ]\n  list += z\n");
            main.Append("  path.to.deep.key = ${shared.base}\"/section-").Append(s).Append("\"\n");
            keys += 3;
            if (s < IncludedFiles) main.Append("  nested { include \"part-").Append(s).Append(".conf\" }\n");
            main.Append("}\n");
        }
        // overrides merging into earlier objects
        for (var s = 0; s + 1 < Sections; s += 2) main.Append("section-").Append(s).Append(".key-0 = ${section-").Append(s + 1).Append(".key-0}\n");
        main.Append("section-3.key-7 = ").Append(7.ToString(CultureInfo.InvariantCulture)).Append('\n');
        var mainPath = Path.Combine(directory, "application.conf");
        File.WriteAllText(mainPath, main.ToString());
        bytes += new FileInfo(mainPath).Length;
        return (mainPath, bytes, keys);
    }

    private static string? FindReferenceConf()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorMq.sln")))
            {
                var path = Path.Combine(dir.FullName, "hocon", "reference.conf");
                return File.Exists(path) ? path : null;
            }
        }
        return null;
    }
}
