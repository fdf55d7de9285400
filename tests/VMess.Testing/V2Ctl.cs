using System.Diagnostics;

namespace VMess.Testing;

/// <summary>Debian's real <c>v2ctl</c> (V2Ray 4.34's control tool, beside the v2ray binary), run to its exit.</summary>
public static class V2Ctl
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(20);

    /// <summary><c>v2ctl api --server=127.0.0.1:PORT METHOD REQUEST</c>; its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> ApiAsync(int port, string method, string request)
    {
        var info = new ProcessStartInfo(Binary())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "api", $"--server=127.0.0.1:{port}", method, request }) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("v2ctl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(ExitTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"v2ctl {method} still runs after {ExitTimeout}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>v2ctl next to the v2ray binary the interop tests use (<c>/usr/bin</c> on Debian); missing is a failure, never a skip.</summary>
    private static string Binary()
    {
        var path = Path.Combine(Path.GetDirectoryName(V2RayBinary.Require())!, "v2ctl");
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"v2ctl is not at {path}: Debian's v2ray package installs it beside v2ray (scripts/install-test-deps.sh).");
    }
}
