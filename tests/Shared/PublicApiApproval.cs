using System.Reflection;
using Xunit;

namespace ActorMq.TestSupport;

/// <summary>
/// Approval of an assembly's public surface: the list of exported types and members is compared with
/// <c>PublicApi.&lt;stem&gt;.approved.txt</c> in the test project's folder, so every change to a public API shows in
/// review. On a difference the test writes <c>.received.txt</c> beside it; approve a change by copying it over.
/// Shared by the test projects (linked by Directory.Build.props).
/// </summary>
internal static class PublicApiApproval
{
    public static void Verify(Assembly assembly, string testProject, string approvedFileName)
    {
        var received = string.Join('\n', Describe(assembly)) + "\n";
        var folder = Path.Combine(RepositoryRoot(), "tests", testProject);
        var approvedPath = Path.Combine(folder, approvedFileName);
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        var receivedPath = Path.ChangeExtension(Path.ChangeExtension(approvedPath, null), ".received.txt");
        if (approved != received) File.WriteAllText(receivedPath, received);
        Assert.True(approved == received,
            $"the public API of {assembly.GetName().Name} changed: compare {Path.GetFileName(receivedPath)} with {approvedFileName} and approve it by copying");
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

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorMq.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("no ActorMq.sln above " + AppContext.BaseDirectory);
    }
}
