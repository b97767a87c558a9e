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
    private static AdminGuard Guard(string hocon = "") =>
        new(AdminSettings.Create(ActorMq.Tests.Shared.TestConfig.Load(ConfigurationFactory.ParseString(hocon))), NullLogger.Instance);

    private static DefaultHttpContext Request(string remote, Action<HttpRequest>? configure = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        configure?.Invoke(context.Request);
        return context;
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
}
