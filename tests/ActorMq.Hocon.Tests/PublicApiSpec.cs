using System.Reflection;
using Xunit;

namespace ActorMq.Hocon.Tests;

/// <summary>
/// The public surface of ActorMq.Hocon is recorded in PublicApi.approved.txt so that every change to it is
/// visible in review (other ActorMq projects code against it). On a difference the test writes
/// PublicApi.received.txt next to the approved file.
/// </summary>
public sealed class PublicApiSpec
{
    [Fact]
    public void Public_api_must_match_the_approved_list()
    {
        var received = string.Join('\n', Describe(typeof(Config).Assembly)) + "\n";
        var folder = TestFolder();
        var approvedPath = Path.Combine(folder, "PublicApi.approved.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        if (approved != received) File.WriteAllText(Path.Combine(folder, "PublicApi.received.txt"), received);
        Assert.True(approved == received, "the public API changed: compare PublicApi.received.txt with PublicApi.approved.txt and approve it by copying");
    }

    private static IEnumerable<string> Describe(Assembly assembly)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            yield return $"{Kind(type)} {type.FullName}" + (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum) ? $" : {b.Name}" : "");
            var members = type.GetMembers(flags)
                .Where(m => m is not MethodInfo { IsSpecialName: true })
                .Where(m => !(type.IsEnum && m.Name == "value__"))
                .Select(m => "  " + m.ToString())
                .OrderBy(m => m, StringComparer.Ordinal);
            foreach (var member in members) yield return member;
        }
    }

    private static string Kind(Type type) =>
        type.IsEnum ? "enum" : type.IsValueType ? "struct" : type.IsInterface ? "interface"
        : type.IsAbstract && type.IsSealed ? "static class" : type.IsSealed ? "sealed class" : type.IsAbstract ? "abstract class" : "class";

    private static string TestFolder() => Path.Combine(RepositoryRoot.Find(), "tests", "ActorMq.Hocon.Tests");
}
