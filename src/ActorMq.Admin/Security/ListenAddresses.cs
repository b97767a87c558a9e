using System.Net;
using Microsoft.AspNetCore.Http;

namespace ActorMq.Admin.Security;

/// <summary>Refuses to serve the admin page beyond loopback without credentials.</summary>
internal static class ListenAddresses
{
    /// <summary>
    /// Throws when any of <paramref name="addresses"/> (Kestrel URLs such as <c>http://0.0.0.0:5080</c>) listens beyond
    /// loopback while <paramref name="settings"/> holds no credentials.
    /// </summary>
    /// <exception cref="ConfigurationException">Naming the address and the HOCON paths that would allow it.</exception>
    public static void EnsureSafe(IEnumerable<string> addresses, AdminSettings settings)
    {
        if (settings.HasCredentials) return;
        var exposed = addresses.Where(a => !IsLoopback(a)).ToList();
        if (exposed.Count == 0) return;
        const string path = AdminSettings.Section + ".api-key";
        throw new ConfigurationException(path,
            $"the ActorMq admin page would listen on {string.Join(", ", exposed)}, beyond loopback, but no credentials are configured: " +
            $"set {AdminSettings.Section}.api-key or {AdminSettings.Section}.basic-auth {{ user, password }}, or listen on 127.0.0.1 / localhost only");
    }

    /// <summary>
    /// The plain-HTTP addresses beyond loopback of <paramref name="addresses"/> when <paramref name="settings"/> holds
    /// credentials: there the API key or password crosses the network readable by anyone on the way.
    /// </summary>
    public static IReadOnlyList<string> PlainHttpWithCredentials(IEnumerable<string> addresses, AdminSettings settings) =>
        settings.HasCredentials
            ? addresses.Where(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !IsLoopback(a)).ToList()
            : [];

    /// <summary>True for localhost, 127.0.0.0/8, ::1, Unix sockets and named pipes; false for wildcards and every other host.</summary>
    public static bool IsLoopback(string address)
    {
        BindingAddress binding;
        try
        {
            binding = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return false;
        }
        if (binding.IsUnixPipe || binding.IsNamedPipe) return true;
        var host = binding.Host.Trim('[', ']');
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }
}
