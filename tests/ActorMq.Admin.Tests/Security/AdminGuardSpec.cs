using System.Net;
using System.Text;
using ActorMq.Admin.Security;
using Akka.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ActorMq.Admin.Tests.Security;

public sealed class AdminGuardSpec
{
    private const int Port = 5080;

    private static AdminGuard Guard(string hocon = "", TimeProvider? time = null) =>
        new(AdminSettings.Create(ActorMq.Tests.Shared.TestConfig.Load(ConfigurationFactory.ParseString(hocon))), NullLogger.Instance, time);

    /// <summary>A request as Kestrel hands it over: from <paramref name="remote"/>, to port 5080, Host 127.0.0.1:5080.</summary>
    private static DefaultHttpContext Request(string remote, Action<HttpRequest>? configure = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Connection.LocalPort = Port;
        context.Request.Method = "GET";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", Port);
        configure?.Invoke(context.Request);
        return context;
    }

    private static Action<HttpRequest> Post(string? origin = null, string? fetchSite = null) => r =>
    {
        r.Method = "POST";
        if (origin is not null) r.Headers.Origin = origin;
        if (fetchSite is not null) r.Headers["Sec-Fetch-Site"] = fetchSite;
    };

    /// <summary>A clock the test moves.</summary>
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static int? Status(IResult? result) => (result as IStatusCodeHttpResult)?.StatusCode;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Without_credentials_a_loopback_client_is_admitted_as_loopback(string remote)
    {
        var context = Request(remote);

        Assert.Null(Guard().Admit(context));
        Assert.Equal("loopback", AdminGuard.Who(context));
    }

    [Fact]
    public void Without_credentials_another_host_is_forbidden()
    {
        var result = Guard().Admit(Request("10.20.30.40"));

        Assert.Equal(StatusCodes.Status403Forbidden, Status(result));
    }

    [Fact]
    public void With_an_api_key_the_right_header_is_admitted_under_the_key_name_from_any_host()
    {
        var guard = Guard("actormq.admin { api-key = \"key-0123456789\", api-key-name = deploy-bot }");
        var right = Request("10.20.30.40", r => r.Headers["X-Api-Key"] = "key-0123456789");
        var wrong = Request("10.20.30.40", r => r.Headers["X-Api-Key"] = "key-0123456780");
        var none = Request("127.0.0.1");

        Assert.Null(guard.Admit(right));
        Assert.Equal("deploy-bot", AdminGuard.Who(right));
        Assert.Equal(StatusCodes.Status401Unauthorized, Status(guard.Admit(wrong)));
        Assert.Equal(StatusCodes.Status401Unauthorized, Status(guard.Admit(none)));
    }

    [Fact]
    public void With_basic_auth_the_user_is_admitted_and_a_wrong_password_is_challenged()
    {
        var guard = Guard("actormq.admin.basic-auth { user = ops, password = \"p:w\" }");
        string Basic(string text) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        var right = Request("192.168.1.9", r => r.Headers.Authorization = Basic("ops:p:w"));
        var wrong = Request("192.168.1.9", r => r.Headers.Authorization = Basic("ops:p"));
        var garbage = Request("192.168.1.9", r => r.Headers.Authorization = "Basic ***");

        Assert.Null(guard.Admit(right));
        Assert.Equal("ops", AdminGuard.Who(right));
        Assert.Equal(StatusCodes.Status401Unauthorized, Status(guard.Admit(wrong)));
        Assert.StartsWith("Basic realm=", wrong.Response.Headers.WWWAuthenticate.ToString());
        Assert.Equal(StatusCodes.Status401Unauthorized, Status(guard.Admit(garbage)));
    }

    [Theory]
    [InlineData("localhost:5080")]
    [InlineData("LOCALHOST:5080")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("[::1]:5080")]
    public void Without_credentials_a_loopback_host_name_with_this_port_is_admitted(string host)
    {
        Assert.Null(Guard().Admit(Request("127.0.0.1", r => r.Host = new HostString(host))));
    }

    [Theory]
    [InlineData("evil.test:5080")]        // DNS rebinding: the hostile site's name, now resolving to 127.0.0.1
    [InlineData("evil.test")]
    [InlineData("localhost.evil.test:5080")]
    [InlineData("127.0.0.1:80")]          // another port: not the page this connection reached
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.2:5080")]
    [InlineData("0.0.0.0:5080")]
    [InlineData("")]
    public void Without_credentials_any_other_host_name_is_refused(string host)
    {
        var context = Request("127.0.0.1", r => r.Host = new HostString(host));

        Assert.Equal(StatusCodes.Status403Forbidden, Status(Guard().Admit(context)));
    }

    [Fact]
    public void With_credentials_any_host_name_is_served()
    {
        var guard = Guard("actormq.admin { api-key = \"key-0123456789\" }");

        Assert.Null(guard.Admit(Request("10.1.2.3", r => { r.Host = new HostString("admin.example.com"); r.Headers["X-Api-Key"] = "key-0123456789"; })));
    }

    [Theory]
    [InlineData("Forwarded", "for=203.0.113.9")]
    [InlineData("X-Forwarded-For", "203.0.113.9")]
    [InlineData("X-Forwarded-Host", "admin.example.com")]
    [InlineData("X-Real-IP", "203.0.113.9")]
    [InlineData("Via", "1.1 proxy")]
    public void Without_credentials_a_request_relayed_by_a_local_proxy_is_refused(string header, string value)
    {
        var context = Request("127.0.0.1", r => r.Headers[header] = value);

        Assert.Equal(StatusCodes.Status403Forbidden, Status(Guard().Admit(context)));
    }

    [Fact]
    public void With_credentials_a_proxied_request_is_served()
    {
        var guard = Guard("actormq.admin { api-key = \"key-0123456789\" }");

        Assert.Null(guard.Admit(Request("127.0.0.1", r => { r.Headers["X-Forwarded-For"] = "203.0.113.9"; r.Headers["X-Api-Key"] = "key-0123456789"; })));
    }

    [Theory]
    [InlineData("http://evil.test:5080")]
    [InlineData("http://127.0.0.1:5081")]
    [InlineData("https://127.0.0.1:5080")]
    [InlineData("null")]
    public void A_post_from_another_origin_is_refused_with_or_without_credentials(string origin)
    {
        Assert.Equal(StatusCodes.Status403Forbidden, Status(Guard().Admit(Request("127.0.0.1", Post(origin)))));
        var keyed = Guard("actormq.admin { api-key = \"key-0123456789\" }");
        Assert.Equal(StatusCodes.Status403Forbidden,
            Status(keyed.Admit(Request("127.0.0.1", r => { Post(origin)(r); r.Headers["X-Api-Key"] = "key-0123456789"; }))));
    }

    [Fact]
    public void A_post_from_the_page_itself_or_from_a_client_naming_no_origin_is_admitted()
    {
        Assert.Null(Guard().Admit(Request("127.0.0.1", Post("http://127.0.0.1:5080"))));
        Assert.Null(Guard().Admit(Request("127.0.0.1", Post(fetchSite: "same-origin"))));
        Assert.Null(Guard().Admit(Request("127.0.0.1", Post())));
        Assert.Equal(StatusCodes.Status403Forbidden, Status(Guard().Admit(Request("127.0.0.1", Post(fetchSite: "cross-site")))));
        Assert.Equal(StatusCodes.Status403Forbidden, Status(Guard().Admit(Request("127.0.0.1", Post(fetchSite: "same-site")))));
        // A GET may name any origin: it changes nothing, and a cross-origin page cannot read the answer.
        Assert.Null(Guard().Admit(Request("127.0.0.1", r => r.Headers.Origin = "http://evil.test")));
    }

    [Fact]
    public void Wrong_credentials_earn_a_growing_block_for_that_client_only()
    {
        var time = new ManualTime();
        var guard = Guard("actormq.admin { api-key = \"key-0123456789\" }", time);
        DefaultHttpContext Attempt(string remote, string key) => Request(remote, r => r.Headers["X-Api-Key"] = key);

        for (var i = 0; i < FailedSignIns.FreeFailures; i++)
            Assert.Equal(StatusCodes.Status401Unauthorized, Status(guard.Admit(Attempt("203.0.113.9", $"guess-{i}"))));
        var blocked = Attempt("203.0.113.9", "guess-5");
        Assert.Equal(StatusCodes.Status429TooManyRequests, Status(guard.Admit(blocked)));
        Assert.Equal("1", blocked.Response.Headers.RetryAfter.ToString());
        // While blocked even the right key is refused unchecked: guessing cannot go on at full speed.
        Assert.Equal(StatusCodes.Status429TooManyRequests, Status(guard.Admit(Attempt("203.0.113.9", "key-0123456789"))));
        // Another client is not affected.
        Assert.Null(guard.Admit(Attempt("203.0.113.10", "key-0123456789")));

        time.Now += TimeSpan.FromSeconds(1);
        var next = Attempt("203.0.113.9", "guess-6");
        Assert.Equal(StatusCodes.Status429TooManyRequests, Status(guard.Admit(next)));
        Assert.Equal("2", next.Response.Headers.RetryAfter.ToString()); // doubled

        time.Now += TimeSpan.FromSeconds(2);
        Assert.Null(guard.Admit(Attempt("203.0.113.9", "key-0123456789")));
        // A success clears the record: the next wrong key is a free failure again.
        Assert.Equal(StatusCodes.Status401Unauthorized, Status(guard.Admit(Attempt("203.0.113.9", "guess-7"))));
    }

    [Fact]
    public void An_ipv6_client_is_its_slash_64_network()
    {
        var time = new ManualTime();
        var guard = Guard("actormq.admin { api-key = \"key-0123456789\" }", time);
        for (var i = 1; i <= FailedSignIns.FreeFailures; i++)
            guard.Admit(Request($"2001:db8:1:2::{i:x}", r => r.Headers["X-Api-Key"] = "guess"));

        Assert.Equal(StatusCodes.Status429TooManyRequests, Status(guard.Admit(Request("2001:db8:1:2::99", r => r.Headers["X-Api-Key"] = "guess"))));
        Assert.Null(guard.Admit(Request("2001:db8:1:3::1", r => r.Headers["X-Api-Key"] = "key-0123456789")));
    }
}
