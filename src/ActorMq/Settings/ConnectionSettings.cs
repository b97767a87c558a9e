using ActorMq.Connection;

namespace ActorMq.Settings;

/// <summary>The broker link, from <c>actormq.connection</c>.</summary>
/// <param name="Endpoints">The endpoints (<c>uris</c>), tried in turn.</param>
/// <param name="VirtualHost">The virtual host for endpoints whose URI names none.</param>
/// <param name="UserName">The user for endpoints whose URI carries none.</param>
/// <param name="Password">The password for endpoints whose URI carries none.</param>
/// <param name="Heartbeat">The requested heartbeat (zero disables).</param>
/// <param name="ClientProvidedName">The connection name shown by the broker (a suffix per connection is added).</param>
/// <param name="ConnectionTimeout">TCP connect timeout.</param>
/// <param name="HandshakeTimeout">AMQP handshake timeout.</param>
/// <param name="ContinuationTimeout">Timeout of synchronous AMQP operations.</param>
/// <param name="RequestedChannelMax">Requested channel limit (0 = none).</param>
/// <param name="RequestedFrameMax">Requested frame size limit in bytes (0 = the broker's).</param>
/// <param name="Reconnect">Reconnect backoff (<c>min-backoff</c>, <c>max-backoff</c>, <c>random-factor</c>).</param>
/// <param name="MaxOutage">How long the link may stay down before ActorMq gives up; <c>null</c> = forever.</param>
/// <param name="ProbeInterval">While a backed-off reconnect waits, how often the endpoints' TCP ports are probed so the link comes back as soon as one accepts (<c>probe-interval</c>); <c>null</c> = no probing.</param>
/// <param name="ChannelRestart">Backoff for restarting a channel's owner (<c>channel-restart</c>).</param>
/// <param name="Tls">TLS options (<c>tls</c>).</param>
public sealed record ConnectionSettings(
    IReadOnlyList<BrokerEndpoint> Endpoints,
    string VirtualHost,
    string UserName,
    string Password,
    TimeSpan Heartbeat,
    string ClientProvidedName,
    TimeSpan ConnectionTimeout,
    TimeSpan HandshakeTimeout,
    TimeSpan ContinuationTimeout,
    ushort RequestedChannelMax,
    uint RequestedFrameMax,
    BackoffSettings Reconnect,
    TimeSpan? MaxOutage,
    TimeSpan? ProbeInterval,
    BackoffSettings ChannelRestart,
    TlsSettings Tls)
{
    /// <summary>The HOCON path of this section.</summary>
    public const string Path = "actormq.connection";

    /// <summary>The users ActorMq connects as (each endpoint's, or <see cref="UserName"/>): a copy keeps a <c>user_id</c> only if it is one of them.</summary>
    internal IReadOnlySet<string> Users => Endpoints.Select(e => string.IsNullOrEmpty(e.UserName) ? UserName : e.UserName).ToHashSet(StringComparer.Ordinal);

    /// <summary>Describes the settings with every password masked.</summary>
    public override string ToString() =>
        $"ConnectionSettings {{ Endpoints = [{string.Join(", ", Endpoints)}], VirtualHost = {VirtualHost}, UserName = {UserName}, Password = {UriMasker.Mask}, Heartbeat = {Heartbeat}, ClientProvidedName = {ClientProvidedName}, MaxOutage = {MaxOutage?.ToString() ?? "off"}, ProbeInterval = {ProbeInterval?.ToString() ?? "off"}, Reconnect = {Reconnect}, ChannelRestart = {ChannelRestart}, Tls = {Tls} }}";

    /// <summary>Reads and validates <c>actormq.connection</c>.</summary>
    /// <exception cref="ConfigurationException">A value is missing or invalid (the message names path and origin).</exception>
    public static ConnectionSettings Create(Akka.Configuration.Config config)
    {
        var reader = SettingsReader.For(config, Path);
        var uris = reader.StringList("uris");
        if (uris.Count == 0) throw reader.Invalid("uris", "at least one amqp:// or amqps:// URI");
        // URIs may carry passwords: the messages below show them masked, never the raw value.
        var endpoints = new List<BrokerEndpoint>();
        foreach (var uri in uris)
        {
            var endpoint = BrokerEndpoint.TryParse(uri, out var problem);
            if (endpoint is null) throw reader.Invalid("uris", $"amqp://[user[:password]@]host[:port][/vhost] URIs, but '{UriMasker.MaskUri(uri)}' {problem}", secret: true);
            endpoints.Add(endpoint);
        }
        var frameMax = reader.Bytes("requested-frame-max", 0, uint.MaxValue);
        if (frameMax is > 0 and < 4096) throw reader.Invalid("requested-frame-max", "0 (the broker's choice) or a size >= 4096 bytes");
        return new ConnectionSettings(
            endpoints,
            reader.String("virtual-host"),
            reader.String("user-name"),
            reader.String("password"),
            reader.Duration("heartbeat", positive: false),
            reader.String("client-provided-name"),
            reader.Duration("connection-timeout", positive: true),
            reader.Duration("handshake-timeout", positive: true),
            reader.Duration("continuation-timeout", positive: true),
            (ushort)reader.Int("requested-channel-max", 0, ushort.MaxValue),
            (uint)frameMax,
            BackoffSettings.Create(reader),
            reader.DurationOrOff("max-outage"),
            reader.DurationOrOff("probe-interval"),
            BackoffSettings.Create(reader.Section("channel-restart")),
            TlsSettings.Create(reader.Section("tls")));
    }
}

/// <summary>TLS options, from <c>actormq.connection.tls</c>.</summary>
/// <param name="Enabled">TLS for every endpoint (amqps:// endpoints use it regardless).</param>
/// <param name="ServerName">The name expected in the server certificate; empty = the endpoint's host.</param>
/// <param name="CertificatePath">Client certificate for mutual TLS; empty = none.</param>
/// <param name="CertificatePassphrase">The client certificate's passphrase; empty = none.</param>
/// <param name="CheckRevocation">Check certificate revocation.</param>
/// <param name="AcceptInvalidCertificate">Accept a server certificate that fails validation (development only).</param>
public sealed record TlsSettings(
    bool Enabled, string ServerName, string CertificatePath, string CertificatePassphrase, bool CheckRevocation, bool AcceptInvalidCertificate)
{
    internal static TlsSettings Create(SettingsReader reader) => new(
        reader.Bool("enabled"),
        reader.String("server-name"),
        reader.String("certificate-path"),
        reader.String("certificate-passphrase"),
        reader.Bool("check-revocation"),
        reader.Bool("accept-invalid-certificate"));

    /// <summary>Hides the passphrase.</summary>
    public override string ToString() =>
        $"TlsSettings {{ Enabled = {Enabled}, ServerName = {ServerName}, CertificatePath = {CertificatePath}, CertificatePassphrase = {(CertificatePassphrase.Length == 0 ? "" : UriMasker.Mask)}, CheckRevocation = {CheckRevocation}, AcceptInvalidCertificate = {AcceptInvalidCertificate} }}";
}
