namespace ActorMq.Connection;

/// <summary>One broker endpoint from <c>actormq.connection.uris</c>. Its text form masks the password.</summary>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">TCP port (5672, or 5671 for amqps, when the URI gives none).</param>
/// <param name="UseTls">True for amqps:// URIs.</param>
/// <param name="UserName">The URI's user, or <c>null</c> (then <c>user-name</c> applies).</param>
/// <param name="Password">The URI's password, or <c>null</c> (then <c>password</c> applies).</param>
/// <param name="VirtualHost">The URI's virtual host, or <c>null</c> when the path is empty or <c>/</c> (then <c>virtual-host</c> applies).</param>
public sealed record BrokerEndpoint(string Host, int Port, bool UseTls, string? UserName, string? Password, string? VirtualHost)
{
    /// <summary>Parses an <c>amqp://</c> or <c>amqps://</c> URI; returns <c>null</c> with a reason when it is not one.</summary>
    public static BrokerEndpoint? TryParse(string text, out string problem)
    {
        problem = "";
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri))
        {
            problem = "is not an absolute URI";
            return null;
        }
        var tls = uri.Scheme switch { "amqp" => false, "amqps" => true, _ => (bool?)null };
        if (tls is null)
        {
            problem = $"has scheme '{uri.Scheme}' (expected amqp or amqps)";
            return null;
        }
        if (string.IsNullOrEmpty(uri.Host))
        {
            problem = "has no host";
            return null;
        }
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        var path = uri.AbsolutePath;
        string? vhost = path.Length <= 1 ? null : Uri.UnescapeDataString(path[1..]);
        var port = uri.IsDefaultPort || uri.Port < 0 ? (tls.Value ? 5671 : 5672) : uri.Port;
        return new BrokerEndpoint(uri.Host, port, tls.Value, user, password, vhost);
    }

    /// <summary><c>amqp://user:***@host:port/vhost</c>: safe for logs.</summary>
    public override string ToString()
    {
        var credentials = UserName is null ? "" : Password is null ? $"{Uri.EscapeDataString(UserName)}@" : $"{Uri.EscapeDataString(UserName)}:{UriMasker.Mask}@";
        var vhost = VirtualHost is null ? "" : "/" + Uri.EscapeDataString(VirtualHost);
        return $"{(UseTls ? "amqps" : "amqp")}://{credentials}{Host}:{Port}{vhost}";
    }
}
