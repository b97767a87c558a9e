using ActorMq.Connection;
using ActorMq.Settings;
using Xunit;

namespace ActorMq.Tests.Connection;

public sealed class BrokerEndpointSpec
{
    [Fact]
    public void TryParse_must_read_host_port_credentials_and_vhost()
    {
        var endpoint = BrokerEndpoint.TryParse("amqp://app:p%40ss@rabbit-1:5673/shop%2Fprod", out _);
        Assert.Equal(new BrokerEndpoint("rabbit-1", 5673, false, "app", "p@ss", "shop/prod"), endpoint);
    }

    [Fact]
    public void TryParse_must_default_ports_and_leave_an_empty_path_to_the_settings()
    {
        Assert.Equal(new BrokerEndpoint("h", 5672, false, null, null, null), BrokerEndpoint.TryParse("amqp://h", out _));
        Assert.Equal(new BrokerEndpoint("h", 5671, true, null, null, null), BrokerEndpoint.TryParse("amqps://h/", out _));
    }

    [Theory]
    [InlineData("http://host", "scheme 'http'")]
    [InlineData("localhost:5672", "scheme")]
    [InlineData("nonsense", "absolute")]
    public void TryParse_must_explain_what_is_wrong(string text, string problemPart)
    {
        Assert.Null(BrokerEndpoint.TryParse(text, out var problem));
        Assert.Contains(problemPart, problem);
    }

    [Fact]
    public void ToString_must_mask_the_password()
    {
        var text = BrokerEndpoint.TryParse("amqp://app:secret@h:1/v", out _)!.ToString();
        Assert.Equal("amqp://app:***@h:1/v", text);
    }

    [Fact]
    public void Rotation_must_hand_out_endpoints_in_turn_and_restart_after_reset()
    {
        var a = new BrokerEndpoint("a", 1, false, null, null, null);
        var b = new BrokerEndpoint("b", 1, false, null, null, null);
        var rotation = new EndpointRotation([a, b]);
        Assert.Equal([a, b, a], new[] { rotation.Next(), rotation.Next(), rotation.Next() });
        rotation.Reset();
        Assert.Same(a, rotation.Next());
    }

    [Fact]
    public void Factory_must_disable_client_recovery_and_prefer_uri_credentials()
    {
        var settings = new ConnectionSettings(
            [], "/", "guest", "guest", TimeSpan.FromSeconds(15), "svc", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5),
            100, 0, new BackoffSettings(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 0.2), null, null,
            new BackoffSettings(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 0.2), new TlsSettings(false, "", "", "", false, false));
        var fromUri = ConnectionFactories.Create(settings, new BrokerEndpoint("h", 5673, false, "app", "pw", "shop"), "publish");
        Assert.False(fromUri.AutomaticRecoveryEnabled);
        Assert.False(fromUri.TopologyRecoveryEnabled);
        Assert.Equal(("h", 5673, "app", "pw", "shop"), (fromUri.HostName, fromUri.Port, fromUri.UserName, fromUri.Password, fromUri.VirtualHost));
        Assert.Equal("svc-publish", fromUri.ClientProvidedName);
        Assert.Equal(TimeSpan.FromSeconds(15), fromUri.RequestedHeartbeat);
        Assert.Equal(TimeSpan.FromSeconds(3), fromUri.RequestedConnectionTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), fromUri.HandshakeContinuationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), fromUri.ContinuationTimeout);
        Assert.Equal((ushort)100, fromUri.RequestedChannelMax);
        Assert.False(fromUri.Ssl.Enabled);

        var fromSettings = ConnectionFactories.Create(settings, new BrokerEndpoint("h", 5671, true, null, null, null), "consume");
        Assert.Equal(("guest", "guest", "/"), (fromSettings.UserName, fromSettings.Password, fromSettings.VirtualHost));
        Assert.True(fromSettings.Ssl.Enabled);
        Assert.Equal("h", fromSettings.Ssl.ServerName);
        Assert.DoesNotContain("guest", settings.ToString().Replace("UserName = guest", "", StringComparison.Ordinal));
    }
}
