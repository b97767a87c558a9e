namespace ActorMq.Hocon.Parsing;

/// <summary>
/// What a parsed text came from, shared by every value parsed from it so that values carry
/// only a line number. <see cref="Directory"/> is where relative includes are looked up; an embedded
/// resource has none and includes from it look only at embedded resources.
/// </summary>
internal sealed class OriginSource(string description, string? directory, bool isResource = false)
{
    public string Description { get; } = description;

    public string? Directory { get; } = directory;

    public bool IsResource { get; } = isResource;
}
