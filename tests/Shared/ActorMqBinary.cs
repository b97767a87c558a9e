using System.Diagnostics;

namespace ActorMq.TestSupport;

/// <summary>What one run of the actormq command printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>
/// Runs the real <c>actormq</c> binary (src/ActorMq.Cli's build output, same configuration as the tests) as the operator
/// would: a separate process, standard output and error captured (so not a terminal), standard input given or empty.
/// Linked into every test project by Directory.Build.props.
/// </summary>
internal static class ActorMqBinary
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>The path of ActorMq.Cli.dll.</summary>
    public static string DllPath
    {
        get
        {
            // tests/<project>/bin/<configuration>/<tfm>/ → src/ActorMq.Cli/bin/<configuration>/<tfm>/ActorMq.Cli.dll
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = output.Name;
            var configuration = output.Parent!.Name;
            var root = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
            var dll = Path.Combine(root, "src", "ActorMq.Cli", "bin", configuration, framework, "ActorMq.Cli.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"the actormq binary is not built: {dll}");
        }
    }

    /// <summary>Runs <c>actormq <paramref name="args"/></c>.</summary>
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, input: null, environment: null);

    /// <summary>Runs <c>actormq <paramref name="args"/></c> with <paramref name="input"/> on standard input and extra environment variables.</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyList<string> args, string? input, IReadOnlyDictionary<string, string?>? environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("NO_COLOR");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"actormq {string.Join(' ', args)} did not exit within {Timeout}");
        }
        return new CliResult(process.ExitCode, await output, await error);
    }
}
