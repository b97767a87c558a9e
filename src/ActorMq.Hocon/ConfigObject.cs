using System.Collections;
using System.Diagnostics.CodeAnalysis;
using ActorMq.Hocon.Parsing;

namespace ActorMq.Hocon;

/// <summary>An object value: fields in definition order, each a <see cref="ConfigValue"/>.</summary>
public sealed class ConfigObject : ConfigValue, IReadOnlyDictionary<string, ConfigValue>
{
    private readonly OrderedDictionary<string, ConfigValue> fields;
    private int needsResolve; // 0 unknown, 1 yes, 2 no; computed once the object is complete

    internal ConfigObject(OriginSource? source, int line, int capacity = 0)
        : base(source, line) => fields = new OrderedDictionary<string, ConfigValue>(capacity, StringComparer.Ordinal);

    internal static ConfigObject Empty(OriginSource? source = null, int line = 0) => new(source, line);

    /// <inheritdoc />
    public override ConfigValueType ValueType => ConfigValueType.Object;

    /// <summary>The number of fields.</summary>
    public int Count => fields.Count;

    /// <summary>The field names, in definition order.</summary>
    public IEnumerable<string> Keys => fields.Keys;

    /// <summary>The field values, in definition order.</summary>
    public IEnumerable<ConfigValue> Values => fields.Values;

    /// <summary>The value of field <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">The field does not exist.</exception>
    public ConfigValue this[string key] => fields[key];

    internal override bool NeedsResolve
    {
        get
        {
            if (needsResolve == 0)
            {
                var any = false;
                foreach (var value in fields.Values)
                {
                    if (value.NeedsResolve) { any = true; break; }
                }
                needsResolve = any ? 1 : 2;
            }
            return needsResolve == 1;
        }
    }

    /// <summary>True when the object has field <paramref name="key"/>.</summary>
    public bool ContainsKey(string key) => fields.ContainsKey(key);

    /// <summary>Gets the value of field <paramref name="key"/> when it exists.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out ConfigValue value) => fields.TryGetValue(key, out value);

    /// <summary>Enumerates the fields in definition order.</summary>
    public IEnumerator<KeyValuePair<string, ConfigValue>> GetEnumerator() => fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Sets a field while the object is being built (parser, merge, resolver only).</summary>
    internal void Set(string key, ConfigValue value) => fields[key] = value;

    internal void Remove(string key) => fields.Remove(key);
}
