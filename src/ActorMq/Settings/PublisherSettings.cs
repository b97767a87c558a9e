namespace ActorMq.Settings;

/// <summary>Publishing, from <c>actormq.publisher</c>.</summary>
/// <param name="Publishers">PublisherActors, each with its own confirm channel.</param>
/// <param name="BufferSize">Requests buffered per publisher while the link is down or blocked; beyond it, back-pressure.</param>
/// <param name="MaxInFlight">Unconfirmed messages per publisher.</param>
/// <param name="ConfirmTimeout">How long to wait for a confirm.</param>
/// <param name="RetryBackoff">Backoff between retries of a transient publish failure.</param>
/// <param name="MaxRetries">Retries of a transient failure before the caller gets it.</param>
/// <param name="MaxMessageSize">Largest body accepted, in bytes.</param>
public sealed record PublisherSettings(
    int Publishers, int BufferSize, int MaxInFlight, TimeSpan ConfirmTimeout, BackoffSettings RetryBackoff, int MaxRetries, long MaxMessageSize)
{
    /// <summary>The HOCON path of this section.</summary>
    public const string Path = "actormq.publisher";

    /// <summary>Reads and validates <c>actormq.publisher</c>.</summary>
    /// <exception cref="ConfigurationException">A value is missing or invalid.</exception>
    public static PublisherSettings Create(Akka.Configuration.Config config)
    {
        var reader = SettingsReader.For(config, Path);
        var retry = reader.Section("retry");
        return new PublisherSettings(
            reader.Int("publishers", 1, 1024),
            reader.Int("buffer-size", 1, int.MaxValue),
            reader.Int("max-in-flight", 1, 1_000_000),
            reader.Duration("confirm-timeout", positive: true),
            BackoffSettings.Create(retry),
            retry.Int("max-retries", 0, int.MaxValue),
            reader.Bytes("max-message-size", 1, int.MaxValue));
    }
}
