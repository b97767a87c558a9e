using System.Collections;
using ActorMq.Hocon.Parsing;

namespace ActorMq.Hocon;

/// <summary>A list value.</summary>
public sealed class ConfigList : ConfigValue, IReadOnlyList<ConfigValue>
{
    private readonly ConfigValue[] items;
    private int needsResolve;

    internal ConfigList(ConfigValue[] items, OriginSource? source, int line)
        : base(source, line) => this.items = items;

    /// <inheritdoc />
    public override ConfigValueType ValueType => ConfigValueType.List;

    /// <summary>The number of elements.</summary>
    public int Count => items.Length;

    /// <summary>The element at <paramref name="index"/>.</summary>
    public ConfigValue this[int index] => items[index];

    internal IReadOnlyList<ConfigValue> Items => items;

    internal override bool NeedsResolve
    {
        get
        {
            if (needsResolve == 0)
            {
                needsResolve = 2;
                foreach (var value in items)
                {
                    if (value.NeedsResolve) { needsResolve = 1; break; }
                }
            }
            return needsResolve == 1;
        }
    }

    /// <summary>Enumerates the elements.</summary>
    public IEnumerator<ConfigValue> GetEnumerator() => ((IEnumerable<ConfigValue>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
