using Microsoft.Extensions.Logging;

namespace ActorMq.Admin;

/// <summary>
/// The admin page's log messages: an audit entry for every replay, discard and purge (who and what: the filter and the
/// counts), and every refused request. Never a credential, never a message body.
/// </summary>
internal static partial class AdminLog
{
    /// <summary>The logger category.</summary>
    public const string Category = "ActorMq.Admin";

    /// <summary>The category of the standalone server's one line per request (Debug).</summary>
    public const string RequestsCategory = "ActorMq.Admin.Requests";

    [LoggerMessage(EventId = 7015, Level = LogLevel.Debug, Message = "{Method} {Path} {Status} in {Milliseconds} ms")]
    public static partial void Request(ILogger logger, string method, string path, int status, long milliseconds);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information,
        Message = "Admin replay by {Who}: filter {Filter}, limit {Limit}: {Replayed} replayed, {Failed} failed to publish")]
    public static partial void Replayed(ILogger logger, string who, string filter, string limit, int replayed, int failed);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Admin discard by {Who}: filter {Filter}: {Discarded} discarded")]
    public static partial void Discarded(ILogger logger, string who, string filter, int discarded);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Admin purge by {Who}: filter {Filter}: {Purged} deleted")]
    public static partial void Purged(ILogger logger, string who, string filter, int purged);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning,
        Message = "Admin request from {Remote} to {Path} refused: not loopback and no credentials are configured (actormq.admin)")]
    public static partial void RefusedRemoteWithoutCredentials(ILogger logger, string remote, string path);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "Admin request from {Remote} to {Path} refused: missing or wrong credentials")]
    public static partial void RefusedUnauthenticated(ILogger logger, string remote, string path);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Warning,
        Message = "Admin request by {Who} to {Path} refused: missing or wrong anti-forgery token")]
    public static partial void RefusedForgery(ILogger logger, string who, string path);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Information, Message = "Admin replay by {Who} started: filter {Filter}, limit {Limit}")]
    public static partial void ReplayStarted(ILogger logger, string who, string filter, string limit);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Critical, Message = "Stopping: {Reason}")]
    public static partial void Unsafe(ILogger logger, string reason);

    [LoggerMessage(EventId = 7009, Level = LogLevel.Information, Message = "ActorMq admin page listening on {Addresses}")]
    public static partial void Listening(ILogger logger, string addresses);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning,
        Message = "Admin request from {Remote} to {Path} refused: it carries a {Header} header (a proxy relaying another client) and no credentials are configured (actormq.admin)")]
    public static partial void RefusedForwarded(ILogger logger, string remote, string path, string header);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Warning,
        Message = "Admin request from {Remote} to {Path} refused: Host '{Host}' is not localhost, 127.0.0.1 or [::1] with this port, and no credentials are configured (actormq.admin)")]
    public static partial void RefusedHost(ILogger logger, string remote, string path, string host);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Warning, Message = "Admin request by {Who} to {Path} refused: it comes from another origin ({Origin})")]
    public static partial void RefusedOrigin(ILogger logger, string who, string path, string origin);

    [LoggerMessage(EventId = 7013, Level = LogLevel.Warning,
        Message = "Admin sign-ins from {Remote} blocked for {Seconds} s: more than {Free} wrong API keys or passwords")]
    public static partial void SignInBlocked(ILogger logger, string remote, int free, double seconds);

    [LoggerMessage(EventId = 7014, Level = LogLevel.Warning,
        Message = "The ActorMq admin page accepts credentials over plain HTTP on {Addresses}: anyone who can see the traffic (same network, a proxy, a tunnel) can read the API key or the basic-auth password and replay, discard or purge dead letters with it. Serve the page over HTTPS (a Kestrel certificate or a TLS-terminating proxy)")]
    public static partial void PlainHttpCredentials(ILogger logger, string addresses);

    [LoggerMessage(EventId = 7016, Level = LogLevel.Information,
        Message = "Admin edit-and-replay by {Who}: dead letter #{Id} (kept unchanged in the store) replayed with {Edit}: {Outcome}")]
    public static partial void ReplayedEdited(ILogger logger, string who, long id, string edit, string outcome);
}
