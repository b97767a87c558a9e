namespace ActorMq.Hocon.Tests;

/// <summary>The checkout's root: the folder above the test assembly that holds ActorMq.sln.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorMq.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("no ActorMq.sln above " + AppContext.BaseDirectory);
    }
}
