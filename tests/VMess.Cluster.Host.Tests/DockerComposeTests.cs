using System.Diagnostics;
using VMess.Cluster.Host.Tests.Support;

namespace VMess.Cluster.Host.Tests;

/// <summary>
/// docker-compose.yml at the root is valid as Debian's docker-compose reads it (no Docker engine needed). Like v2ray,
/// docker-compose is installed by scripts/install-test-deps.sh, so a missing one fails the test rather than skipping it.
/// </summary>
public sealed class DockerComposeTests
{
    [Fact]
    public async Task Docker_compose_config_should_accept_docker_compose_yml()
    {
        var info = new ProcessStartInfo(DockerCompose.Require())
        {
            WorkingDirectory = RepositoryRoot.Path,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-f", "docker-compose.yml", "config", "-q" }) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);

        Assert.True(process.ExitCode == 0, $"docker-compose config -q exited {process.ExitCode}\n{await stdout}\n{await stderr}");
    }
}

internal static class DockerCompose
{
    public static string? TryFind()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "docker-compose"))
            .FirstOrDefault(File.Exists);
    }

    public static string Require() => TryFind() ?? throw new InvalidOperationException(
        "docker-compose was not found on PATH; run scripts/install-test-deps.sh (installs Debian's docker-compose)");
}
