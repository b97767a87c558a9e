using Microsoft.Playwright;
using Xunit;

namespace ActorMq.Admin.Tests.Browser;

/// <summary>
/// Debian's chromium driven by Playwright, one browser per test class. Playwright cannot download its own browser on
/// these machines, so the tests need <c>/usr/bin/chromium</c> (<c>./build.sh test</c> installs it); without it every
/// browser test fails with a message saying so.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>
    /// A hostile site's name that this browser resolves to 127.0.0.1 — what a DNS-rebinding attack achieves with a real
    /// name and a short-lived DNS answer.
    /// </summary>
    public const string RebindingHost = "evil.test";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser is not started");

    /// <summary>Where screenshots go: TestResults/screenshots under the test assembly's output directory.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException(
                $"The browser tests drive Debian's chromium at {ExecutablePath}, which is missing (Playwright cannot download its own browser here). " +
                "Install it with `sudo apt-get install -y chromium`, or run `./build.sh test`, which installs it.");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                $"--host-resolver-rules=MAP {RebindingHost} 127.0.0.1",
                // Chromium's Local Network Access prompt would stop a public page's requests to loopback before they
                // reach the admin page; Firefox and Safari have no such check, and a user may allow it. The rebinding
                // spec shows the admin page's own defence, so the browser's is off.
                "--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults,BlockInsecurePrivateNetworkRequests"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}
