namespace VMess.Cluster.Host.Tests.Support;

/// <summary>The output of one <c>vmess-cluster</c> command run in this process.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit code {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
