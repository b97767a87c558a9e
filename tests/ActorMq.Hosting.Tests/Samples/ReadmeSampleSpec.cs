using Xunit;

namespace ActorMq.Hosting.Tests.Samples;

/// <summary>The README's worker service is the sample that builds and runs (SampleWorkerSpec): the two must not drift apart.</summary>
public sealed class ReadmeSampleSpec
{
    private static string RepositoryFile(params string[] path)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ActorMq.sln"))) directory = directory.Parent;
        Assert.NotNull(directory);
        return Path.Combine([directory.FullName, .. path]);
    }

    [Fact]
    public void The_READMEs_Program_cs_and_app_conf_must_be_the_sample_workers()
    {
        var readme = File.ReadAllText(RepositoryFile("README.md")).ReplaceLineEndings("\n");
        var program = File.ReadAllText(RepositoryFile("src", "ActorMq.Samples.Worker", "Program.cs")).ReplaceLineEndings("\n").TrimEnd('\n');
        var appConf = File.ReadAllText(RepositoryFile("src", "ActorMq.Samples.Worker", "app.conf")).ReplaceLineEndings("\n").TrimEnd('\n');
        Assert.Contains("```csharp\n" + program + "\n```", readme);
        Assert.Contains("```hocon\n" + appConf + "\n```", readme);
    }
}
