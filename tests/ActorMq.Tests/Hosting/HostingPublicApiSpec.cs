using System.Reflection;
using ActorMq.Hosting;
using Xunit;

namespace ActorMq.Tests.Hosting;

/// <summary>
/// The public surface of ActorMq.Hosting, recorded in <c>PublicApi.ActorMq.Hosting.approved.txt</c> beside this file so
/// every change to it shows in review. On a difference the test writes <c>PublicApi.ActorMq.Hosting.received.txt</c>.
/// </summary>
public sealed class HostingPublicApiSpec
{
    [Fact]
    public void The_public_api_of_ActorMq_Hosting_must_match_the_approved_list()
    {
        var received = string.Join('\n', Members(typeof(ActorMqHostingBuilder).Assembly)) + "\n";
        var folder = Path.Combine(RepositoryRoot(), "tests", "ActorMq.Tests", "Hosting");
        var approvedPath = Path.Combine(folder, "PublicApi.ActorMq.Hosting.approved.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        if (approved != received) File.WriteAllText(Path.Combine(folder, "PublicApi.ActorMq.Hosting.received.txt"), received);
        Assert.True(approved == received, "the public API of ActorMq.Hosting changed: compare the .received.txt with the .approved.txt and approve it by copying");
    }

    private static IEnumerable<string> Members(Assembly assembly)
    {
        const BindingFlags declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return assembly.GetExportedTypes()
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .SelectMany(type => new[] { $"{(type.IsInterface ? "interface" : "class")} {type.FullName}" }.Concat(type.GetMembers(declared)
                .Where(m => m is not MethodInfo { IsSpecialName: true })
                .Select(m => $"  {m}")
                .Order(StringComparer.Ordinal)));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ActorMq.sln"))) return directory.FullName;
        }
        throw new DirectoryNotFoundException($"no ActorMq.sln above {AppContext.BaseDirectory}");
    }
}
