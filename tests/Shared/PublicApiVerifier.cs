using System.Reflection;
using PublicApiGenerator;
using Xunit;

namespace ActorMq.TestSupport;

/// <summary>
/// An assembly's public API as C# (PublicApiGenerator), compared with <c>PublicApi.&lt;assembly&gt;.approved.txt</c>
/// in the test project's folder, so every change to it shows in review. On a difference the test writes
/// <c>.received.txt</c> beside it; approve a change by copying it over. Linked into every test project by
/// Directory.Build.props.
/// </summary>
internal static class PublicApiVerifier
{
    private static readonly ApiGeneratorOptions Options = new()
    {
        // Assembly attributes are build metadata (target framework, InternalsVisibleTo), not API.
        IncludeAssemblyAttributes = false,
    };

    public static void Verify(Assembly assembly, string testProject, string approvedFileName)
    {
        var received = assembly.GeneratePublicApi(Options).ReplaceLineEndings("\n").TrimEnd() + "\n";
        var approvedPath = Path.Combine(RepositoryRoot(), "tests", testProject, approvedFileName);
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        var receivedPath = Path.ChangeExtension(Path.ChangeExtension(approvedPath, null), ".received.txt");
        if (approved == received)
        {
            File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, received);
        Assert.Fail($"the public API of {assembly.GetName().Name} changed: compare {Path.GetFileName(receivedPath)} with {approvedFileName} and approve it by copying");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorMq.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("no ActorMq.sln above " + AppContext.BaseDirectory);
    }
}
