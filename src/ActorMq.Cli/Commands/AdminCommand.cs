namespace ActorMq.Cli.Commands;

/// <summary>
/// Placeholder for <c>actormq admin</c>, which the admin page's branch provides; this build does not contain it.
/// </summary>
internal static class AdminCommand
{
    /// <summary>Says that the admin page is not part of this build; exit code 2.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        await output.WriteLineAsync("admin: not part of this build").ConfigureAwait(false);
        return 2;
    }
}
