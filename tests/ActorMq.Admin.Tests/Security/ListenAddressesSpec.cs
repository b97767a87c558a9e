using ActorMq.Admin.Security;
using Akka.Configuration;
using Xunit;

namespace ActorMq.Admin.Tests.Security;

public sealed class ListenAddressesSpec
{
    private static readonly AdminSettings WithoutCredentials = AdminSettings.Create(ActorMq.Tests.Shared.TestConfig.Load(Config.Empty));

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://127.8.9.10:80", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("https://[::1]:5443", true)]
    [InlineData("http://unix:/run/actormq-admin.sock", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://10.1.2.3:5080", false)]
    [InlineData("http://admin.example.com:5080", false)]
    public void Only_loopback_addresses_count_as_loopback(string address, bool loopback) =>
        Assert.Equal(loopback, ListenAddresses.IsLoopback(address));

    [Fact]
    public void Loopback_only_needs_no_credentials() =>
        ListenAddresses.EnsureSafe(["http://127.0.0.1:5080", "http://localhost:5081"], WithoutCredentials);

    [Fact]
    public void Beyond_loopback_without_credentials_is_refused_naming_the_hocon_paths()
    {
        var error = Assert.Throws<ConfigurationException>(() => ListenAddresses.EnsureSafe(["http://127.0.0.1:5080", "http://0.0.0.0:5080"], WithoutCredentials));

        Assert.Equal("actormq.admin.api-key", error.Path);
        Assert.Contains("would listen on http://0.0.0.0:5080, beyond loopback", error.Message);
        Assert.Contains("actormq.admin.basic-auth", error.Message);
    }

    [Fact]
    public void Beyond_loopback_with_an_api_key_is_allowed() =>
        ListenAddresses.EnsureSafe(["http://0.0.0.0:5080"],
            AdminSettings.Create(ActorMq.Tests.Shared.TestConfig.Load(ConfigurationFactory.ParseString("actormq.admin.api-key = abcdefghijklmnop"))));
}
