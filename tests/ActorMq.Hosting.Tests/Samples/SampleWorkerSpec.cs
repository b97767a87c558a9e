using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Xunit;

namespace ActorMq.Hosting.Tests.Samples;

/// <summary>
/// src/ActorMq.Samples.Worker (the README's complete worker service) started as its own process against the real
/// broker: ready, takes an order over HTTP, handles it with its DI handler, and serves the admin page.
/// </summary>
public sealed class SampleWorkerSpec(BrokerFixture broker, ITestOutputHelper output) : IClassFixture<BrokerFixture>, IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actormq-sample.").FullName;
    private Process? _worker;

    private static string WorkerDll()
    {
        // tests/ActorMq.Hosting.Tests/bin/<Configuration>/net10.0/ -> src/ActorMq.Samples.Worker/bin/<Configuration>/net10.0/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var root = here.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(root, "src", "ActorMq.Samples.Worker", "bin", configuration, framework, "ActorMq.Samples.Worker.dll");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task The_sample_worker_must_get_ready_handle_an_order_posted_over_HTTP_and_serve_the_admin_page()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var dll = WorkerDll();
        Assert.True(File.Exists(dll), $"{dll} is not built");
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = url;
        start.Environment["ActorMq__Uri"] = broker.AmqpUri.ToString();
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        _worker = Process.Start(start)!;
        _worker.OutputDataReceived += (_, e) => { if (e.Data is not null) output.WriteLine(e.Data); };
        _worker.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.WriteLine(e.Data); };
        _worker.BeginOutputReadLine();
        _worker.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            Assert.False(_worker.HasExited, "the sample worker exited");
            try
            {
                if (await http.GetStringAsync("/health/ready", deadline.Token) == "Healthy") break;
            }
            catch (HttpRequestException)
            {
                // not listening yet, or 503 while ActorMq connects
            }
            await Task.Delay(200, deadline.Token);
        }
        Assert.Equal("Healthy", await http.GetStringAsync("/health/live", cancellation));

        var posted = await http.PostAsJsonAsync("/orders", new { orderId = "sample-1", total = 12.5m }, cancellation);
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        while ((await http.GetFromJsonAsync<Stats>("/orders/stats", deadline.Token))!.Orders < 1) await Task.Delay(100, deadline.Token);

        var overview = await http.GetAsync("/actormq/api/overview", cancellation);
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Contains("orders", await overview.Content.ReadAsStringAsync(cancellation));
    }

    private sealed record Stats(int Orders);

    public async ValueTask DisposeAsync()
    {
        if (_worker is { HasExited: false })
        {
            _worker.Kill(entireProcessTree: true);
            await _worker.WaitForExitAsync();
        }
        _worker?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // left for the OS to clean
        }
    }
}
