namespace ActorMq.Serialization;

/// <summary>
/// Whether the AMQP <c>type</c> property a producer set names the handler's message type. A message without a type
/// matches any handler; with one, it must name the type by simple name, full name, assembly-qualified name, or
/// MassTransit's <c>urn:message:Namespace:Name</c>. A mismatch is a permanent failure: the consumer got a message it
/// was never meant to handle.
/// </summary>
internal static class MessageTypeNames
{
    public static bool Matches(string declared, Type handlerType)
    {
        declared = declared.Trim();
        return declared == handlerType.Name
               || declared == handlerType.FullName
               || (handlerType.FullName is { } full && declared.StartsWith(full + ",", StringComparison.Ordinal))
               || declared == $"urn:message:{handlerType.Namespace}:{handlerType.Name}";
    }
}

/// <summary>A message's AMQP <c>type</c> names a type its consumer does not handle. Permanent.</summary>
public sealed class UnknownMessageTypeException(string consumer, string declaredType, Type handlerType)
    : PermanentFailureException($"consumer '{consumer}' handles {handlerType.FullName}, but the message's type property is '{declaredType}'")
{
    /// <summary>The type the message declared.</summary>
    public string DeclaredType { get; } = declaredType;
}
