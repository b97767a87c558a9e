using System.Net.Security;
using System.Security.Authentication;
using ActorMq.Settings;
using RabbitMQ.Client;

namespace ActorMq.Connection;

/// <summary>
/// Builds a RabbitMQ.Client <see cref="ConnectionFactory"/> for one endpoint, with the client's own automatic and
/// topology recovery switched off: the ConnectionSupervisorActor is the one component that recovers.
/// </summary>
internal static class ConnectionFactories
{
    /// <summary>A factory for <paramref name="endpoint"/>; <paramref name="purpose"/> (e.g. <c>publish</c>) is appended to the client-provided name.</summary>
    public static ConnectionFactory Create(ConnectionSettings settings, BrokerEndpoint endpoint, string purpose)
    {
        var tls = settings.Tls;
        var useTls = endpoint.UseTls || tls.Enabled;
        var ssl = new SslOption
        {
            Enabled = useTls,
            ServerName = tls.ServerName.Length > 0 ? tls.ServerName : endpoint.Host,
            CheckCertificateRevocation = tls.CheckRevocation,
            Version = SslProtocols.None, // the operating system's choice (TLS 1.2/1.3)
        };
        if (tls.CertificatePath.Length > 0) ssl.CertPath = tls.CertificatePath;
        if (tls.CertificatePassphrase.Length > 0) ssl.CertPassphrase = tls.CertificatePassphrase;
        if (tls.AcceptInvalidCertificate)
            ssl.AcceptablePolicyErrors = SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNotAvailable;

        return new ConnectionFactory
        {
            HostName = endpoint.Host,
            Port = endpoint.Port,
            UserName = endpoint.UserName ?? settings.UserName,
            Password = endpoint.Password ?? settings.Password,
            VirtualHost = endpoint.VirtualHost ?? settings.VirtualHost,
            RequestedHeartbeat = settings.Heartbeat,
            ClientProvidedName = purpose.Length == 0 ? settings.ClientProvidedName : $"{settings.ClientProvidedName}-{purpose}",
            RequestedConnectionTimeout = settings.ConnectionTimeout,
            HandshakeContinuationTimeout = settings.HandshakeTimeout,
            ContinuationTimeout = settings.ContinuationTimeout,
            RequestedChannelMax = settings.RequestedChannelMax,
            RequestedFrameMax = settings.RequestedFrameMax,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            Ssl = ssl,
        };
    }
}

/// <summary>Hands out the configured endpoints in turn (one per connection attempt), wrapping around.</summary>
internal sealed class EndpointRotation(IReadOnlyList<BrokerEndpoint> endpoints)
{
    private int _next;

    /// <summary>The endpoint for the next connection attempt.</summary>
    public BrokerEndpoint Next()
    {
        if (endpoints.Count == 0) throw new InvalidOperationException("no broker endpoints configured (actormq.connection.uris)");
        var endpoint = endpoints[_next];
        _next = (_next + 1) % endpoints.Count;
        return endpoint;
    }

    /// <summary>Starts the next round from the first endpoint again (after a successful connect, so the preferred endpoint is tried first).</summary>
    public void Reset() => _next = 0;
}
