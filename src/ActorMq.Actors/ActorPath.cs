using System.Text;

namespace ActorMq.Actors;

/// <summary>
/// The address of an actor inside its system, e.g. <c>actormq://orders/user/connection/publisher-1</c>.
/// Paths are for people and logs; identity is the <see cref="IActorRef"/> itself (a new incarnation
/// under the same path is a different ref).
/// </summary>
public sealed class ActorPath
{
    private readonly string? systemName;

    private ActorPath(string systemName)
    {
        this.systemName = systemName;
        Name = string.Empty;
    }

    private ActorPath(ActorPath parent, string name)
    {
        Parent = parent;
        Name = name;
    }

    /// <summary>The last element of the path (the actor's name); empty for the root.</summary>
    public string Name { get; }

    /// <summary>The parent path, or <c>null</c> for the root.</summary>
    public ActorPath? Parent { get; }

    /// <summary>The name of the actor system this path belongs to.</summary>
    public string SystemName => Root.systemName!;

    /// <summary>The root of this path (<c>actormq://name</c>).</summary>
    public ActorPath Root
    {
        get
        {
            var p = this;
            while (p.Parent is not null) p = p.Parent;
            return p;
        }
    }

    /// <summary>The path's elements below the root, e.g. <c>["user", "a", "b"]</c>.</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var list = new List<string>();
            for (var p = this; p.Parent is not null; p = p.Parent) list.Add(p.Name);
            list.Reverse();
            return list;
        }
    }

    internal static ActorPath CreateRoot(string systemName) => new(systemName);

    /// <summary>The path of a child named <paramref name="name"/>.</summary>
    public ActorPath Child(string name) => new(this, name);

    /// <summary>Same as <see cref="Child"/>.</summary>
    public static ActorPath operator /(ActorPath parent, string name) => parent.Child(name);

    /// <summary>The full path, <c>actormq://system/user/a/b</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder("actormq://").Append(SystemName);
        foreach (var element in Elements) builder.Append('/').Append(element);
        return builder.ToString();
    }
}
