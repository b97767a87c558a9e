using System.Globalization;

namespace ActorMq.Hocon.Resolution;

/// <summary>Objects with numeric keys read as lists where a list is expected (getters, list concatenation).</summary>
internal static class NumericKeys
{
    /// <summary>HOCON.md "Conversion of numerically-indexed objects to arrays": keys that are non-negative integers, in numeric order.</summary>
    public static ConfigList? ToList(ConfigObject obj)
    {
        var indexed = new List<(long Index, ConfigValue Value)>();
        foreach (var (key, value) in obj)
        {
            if (long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index)) indexed.Add((index, value));
        }
        if (indexed.Count == 0) return null;
        indexed.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new ConfigList([.. indexed.Select(e => e.Value)], obj.Source, obj.Line);
    }
}
