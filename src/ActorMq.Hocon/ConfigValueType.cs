namespace ActorMq.Hocon;

/// <summary>The kind of a resolved configuration value.</summary>
public enum ConfigValueType
{
    /// <summary>An object: named fields.</summary>
    Object,

    /// <summary>A list of values.</summary>
    List,

    /// <summary>A string (quoted, unquoted or a concatenation).</summary>
    String,

    /// <summary>A number (integer or floating point).</summary>
    Number,

    /// <summary>A boolean: <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>The value <c>null</c>.</summary>
    Null,
}
