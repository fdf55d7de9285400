using System.Diagnostics;
using VMess.Cluster.Host.Tests.Support;
using VMess.Testing;

namespace VMess.Cluster.Host.Tests;

/// <summary>docker-compose.yml at the root is valid as Debian's docker-compose reads it (no Docker engine needed).</summary>
public sealed class DockerComposeTests
{
    [DockerComposeFact]
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

/// <summary>A fact that needs docker-compose: skipped only where it is missing and CI is not "true" (on CI it fails).</summary>
internal sealed class DockerComposeFactAttribute : FactAttribute
{
    public DockerComposeFactAttribute()
    {
        if (DockerCompose.TryFind() is null && !V2RayBinary.IsRequired)
        {
            Skip = "docker-compose is not installed (scripts/install-test-deps.sh installs it; on CI this test never skips)";
        }
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
