namespace ActorMq;

/// <summary>
/// The root of every exception ActorMq throws on purpose. Catch this to handle any ActorMq failure;
/// catch a subtype (for example <see cref="ConfigurationException"/>) to handle one kind.
/// </summary>
public class ActorMqException : Exception
{
    /// <summary>Creates an exception with a message that names the thing that failed.</summary>
    public ActorMqException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the failure that caused it.</summary>
    public ActorMqException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>
/// A setting is missing or has a bad value. The message names the HOCON path, where it was
/// defined (file and line) and what was expected.
/// </summary>
public sealed class ConfigurationException : ActorMqException
{
    /// <summary>Creates the exception for the setting at <paramref name="path"/>.</summary>
    public ConfigurationException(string path, string message, Exception? innerException = null)
        : base(message, innerException) => Path = path;

    /// <summary>The HOCON path of the offending setting, e.g. <c>actormq.consumers.orders.prefetch</c>.</summary>
    public string Path { get; }
}
