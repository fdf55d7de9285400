using System.Diagnostics;
using VMess.Testing;

namespace VMess.Configuration.Tests;

/// <summary>Runs the real V2Ray 4.34's own config check, <c>v2ray -test -config FILE</c>.</summary>
internal static class V2RayTest
{
    public static async Task<(bool Accepted, string Output)> CheckAsync(string configPath)
    {
        var start = new ProcessStartInfo(V2RayBinary.Require()) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-test");
        start.ArgumentList.Add("-config");
        start.ArgumentList.Add(configPath);

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        return (process.ExitCode == 0 && output.Contains("Configuration OK", StringComparison.Ordinal), output);
    }

    public static async Task<(bool Accepted, string Output)> CheckJsonAsync(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vmess-config-test-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, json);
        try
        {
            return await CheckAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
