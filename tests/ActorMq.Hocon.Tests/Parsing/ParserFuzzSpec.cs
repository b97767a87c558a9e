using System.Text;
using Xunit;

namespace ActorMq.Hocon.Tests.Parsing;

/// <summary>
/// Random and mutated inputs: parsing, resolving and rendering must end in a value or a
/// <see cref="ConfigException"/>, never another exception. Iterations are fixed, so the time is bounded.
/// </summary>
public sealed class ParserFuzzSpec
{
    private const string Seed = """
        a { b = 1, c = [1, 2, ${a.b}], d = "str\n", e = ${?nope} }
        f = ${a} { g = 2 }
        h += 1
        h += ${a.b}
        i = \"\"\"triple\"\"\" unquoted 1.5 true null
        j.k."l.m" = 30s
        include "missing.conf"
        n = [ { o = 1 } ] [ { p = 2 } ]
        q : 64MiB, r = ${i}x
        // comment
        # comment
        """;

    private static readonly string Alphabet = "{}[]:=,+$?\"\\.#/ \t\n\r\uFEFFabcxyz019-_eE${}include()file\"\"\"" + "\u00e9\u2028\0";

    [Fact]
    public void Random_text_must_give_a_value_or_a_config_exception()
    {
        var random = new Random(20261121);
        for (var i = 0; i < 3000; i++)
        {
            var length = random.Next(0, 80);
            var sb = new StringBuilder(length);
            for (var j = 0; j < length; j++) sb.Append(Alphabet[random.Next(Alphabet.Length)]);
            Exercise(sb.ToString());
        }
    }

    [Fact]
    public void Random_bytes_must_give_a_value_or_a_config_exception()
    {
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            Exercise(Encoding.UTF8.GetString(bytes));
        }
    }

    [Fact]
    public void Mutated_valid_text_must_give_a_value_or_a_config_exception()
    {
        var random = new Random(42);
        for (var i = 0; i < 3000; i++)
        {
            var text = new StringBuilder(Seed);
            var mutations = random.Next(1, 6);
            for (var m = 0; m < mutations; m++)
            {
                var at = random.Next(text.Length + 1);
                switch (random.Next(3))
                {
                    case 0 when text.Length > 0 && at < text.Length:
                        text.Remove(at, Math.Min(random.Next(1, 8), text.Length - at));
                        break;
                    case 1:
                        text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                        break;
                    default:
                        if (at < text.Length) text[at] = Alphabet[random.Next(Alphabet.Length)];
                        break;
                }
            }
            Exercise(text.ToString());
        }
    }

    [Fact]
    public void Long_substitution_chains_must_fail_cleanly_or_resolve()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 20_000; i++) sb.Append("k").Append(i).Append(" = ${k").Append(i + 1).Append("}\n");
        sb.Append("k20000 = end\n");
        Exercise(sb.ToString());
        var nested = new StringBuilder();
        for (var i = 0; i < 3000; i++) nested.Append("o").Append(i).Append(" = { x = ${o").Append(i + 1).Append("} }\n");
        nested.Append("o3000 = 1\n");
        Exercise(nested.ToString());
    }

    [Fact]
    public void Deeply_nested_objects_must_fail_cleanly()
    {
        Exercise(new string('{', 50_000));
        Exercise("a = " + string.Concat(Enumerable.Repeat("{ b = ", 10_000)) + "1" + new string('}', 10_000));
        Exercise(string.Concat(Enumerable.Repeat("a.", 100_000)) + "b = 1");
    }

    [Fact]
    public void Exponentially_growing_concatenations_must_fail_cleanly()
    {
        var strings = new StringBuilder("s0 = ab\n");
        var lists = new StringBuilder("l0 = [1]\n");
        for (var i = 1; i <= 40; i++)
        {
            strings.Append('s').Append(i).Append(" = ${s").Append(i - 1).Append("}${s").Append(i - 1).Append("}\n");
            lists.Append('l').Append(i).Append(" = ${l").Append(i - 1).Append("} ${l").Append(i - 1).Append("}\n");
        }
        Assert.ThrowsAny<ConfigException>(() => ConfigFactory.ParseString(strings.ToString()).Resolve());
        Assert.ThrowsAny<ConfigException>(() => ConfigFactory.ParseString(lists.ToString()).Resolve());
    }

    [Fact]
    public void Rendering_shared_subtrees_that_explode_must_fail_cleanly()
    {
        var text = new StringBuilder("t0 = [1, 2, 3, 4, 5, 6, 7, 8]\n");
        for (var i = 1; i <= 40; i++) text.Append('t').Append(i).Append(" = [${t").Append(i - 1).Append("}, ${t").Append(i - 1).Append("}]\n");
        var config = ConfigFactory.ParseString(text.ToString()).Resolve();
        Assert.Equal(2, config.GetList("t40").Count);
        Assert.ThrowsAny<ConfigException>(() => config.ToJson());
    }

    private static void Exercise(string text)
    {
        try
        {
            var config = ConfigFactory.ParseString(text).Resolve(new ConfigResolveOptions { UseEnvironment = false });
            var json = config.ToJson();
            Assert.Equal(json, ConfigFactory.ParseString(config.ToHocon()).ToJson());
        }
        catch (ConfigException)
        {
            // expected for invalid input
        }
    }
}
