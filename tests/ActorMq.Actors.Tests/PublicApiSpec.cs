using System.Reflection;

namespace ActorMq.Actors.Tests;

/// <summary>
/// The public surfaces of ActorMq.Actors and ActorMq.TestKit are recorded in
/// <c>PublicApi.*.approved.txt</c> so that every change to them shows in review (later issues code
/// against them). On a difference the test writes the <c>.received.txt</c> file beside it.
/// </summary>
public sealed class PublicApiSpec
{
    [Theory]
    [InlineData("ActorMq.Actors")]
    [InlineData("ActorMq.TestKit")]
    public void Public_api_must_match_the_approved_list(string assemblyName)
    {
        var assembly = assemblyName == "ActorMq.Actors" ? typeof(ActorSystem).Assembly : typeof(TestProbe).Assembly;
        var received = string.Join('\n', Describe(assembly)) + "\n";
        var folder = TestFolder();
        var approvedPath = Path.Combine(folder, $"PublicApi.{assemblyName}.approved.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        if (approved != received) File.WriteAllText(Path.Combine(folder, $"PublicApi.{assemblyName}.received.txt"), received);
        Assert.True(approved == received, $"the public API of {assemblyName} changed: compare the .received.txt with the .approved.txt file and approve it by copying");
    }

    private static IEnumerable<string> Describe(Assembly assembly)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var baseType = type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum) ? $" : {b.Name}" : "";
            yield return $"{Kind(type)} {type.FullName}{baseType}";
            var members = type.GetMembers(flags)
                .Where(m => m is not MethodInfo { IsSpecialName: true })
                .Where(m => !(type.IsEnum && m.Name == "value__"))
                .Where(m => m is not MethodInfo { Name: "<Clone>$" })
                .Select(m => "  " + m)
                .OrderBy(m => m, StringComparer.Ordinal);
            foreach (var member in members) yield return member;
        }
    }

    private static string Kind(Type type) =>
        type.IsEnum ? "enum" : type.IsValueType ? "struct" : type.IsInterface ? "interface"
        : type.IsAbstract && type.IsSealed ? "static class" : type.IsSealed ? "sealed class" : type.IsAbstract ? "abstract class" : "class";

    private static string TestFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorMq.sln"))) return Path.Combine(dir.FullName, "tests", "ActorMq.Actors.Tests");
        }
        throw new DirectoryNotFoundException("no ActorMq.sln above " + AppContext.BaseDirectory);
    }
}
