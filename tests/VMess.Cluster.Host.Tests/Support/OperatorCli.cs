namespace VMess.Cluster.Host.Tests.Support;

/// <summary>
/// Runs <c>vmess-cluster</c>'s command line in this process (what Program.cs calls), with an environment of the test's
/// own: the operator commands take a second, not a process start each.
/// </summary>
internal static class OperatorCli
{
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await CommandLine.RunAsync([.. args], stdout, stderr, name => environment?.GetValueOrDefault(name));
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}
