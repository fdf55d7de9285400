using System.Globalization;
using System.Text.RegularExpressions;

namespace VMess.Cluster.Host.Tests.Support;

/// <summary>
/// A node process started on a config with a VMess inbound tagged <c>vmess-in</c> and the API, once it is up: the
/// ports the OS gave both, as the node printed them (on whatever address they listen).
/// </summary>
internal static partial class ApiNodeProcess
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    public static async Task<(HostProcess Host, int VMessPort, int ApiPort)> StartAsync(TempDirectory directory, string configJson,
        IDictionary<string, string>? environment = null)
    {
        var host = HostProcess.Start(["run", "-c", directory.Write("node.json", configJson)], directory, environment);
        await host.WaitForOutputAsync(line => line.Contains("press Ctrl+C to stop", StringComparison.Ordinal), StartupTimeout);
        var vmess = VMessLine().Match(host.Stdout);
        var api = ApiLine().Match(host.Stdout);
        Assert.True(vmess.Success && api.Success, host.Describe());
        return (host, Port(vmess), Port(api));
    }

    private static int Port(Match match) => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"inbound vmess-in: vmess on [^ ]+:(\d+)")]
    private static partial Regex VMessLine();

    [GeneratedRegex(@"api: gRPC .* on [^ ]+:(\d+)")]
    private static partial Regex ApiLine();
}
