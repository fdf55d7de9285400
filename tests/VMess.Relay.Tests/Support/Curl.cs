using System.Diagnostics;

namespace VMess.Relay.Tests.Support;

/// <summary>The real curl, as a proxy client of the node's socks and http inbounds.</summary>
internal static class Curl
{
    public sealed record Result(int ExitCode, byte[] Body, string Error);

    /// <summary>
    /// Runs curl with <paramref name="arguments"/> (plus -sS and a 60 s cap) and returns its exit code, the body it wrote
    /// to stdout and its stderr. The process is killed if <paramref name="ct"/> fires first.
    /// </summary>
    public static async Task<Result> RunAsync(IEnumerable<string> arguments, CancellationToken ct)
    {
        var info = new ProcessStartInfo("curl")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["-sS", "--max-time", "60", .. arguments]) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("curl did not start");
        try
        {
            var body = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(body, ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            await copy;
            return new Result(process.ExitCode, body.ToArray(), await error);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }
}
