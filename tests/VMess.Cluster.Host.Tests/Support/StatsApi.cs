using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using V2Ray.Core.App.Stats.Command;

namespace VMess.Cluster.Host.Tests.Support;

/// <summary>
/// Node configs with V2Ray's API and user counters, and a reader of those counters through V2Ray's own StatsService
/// client (generated from its .proto files): what the cluster tests that count traffic share.
/// </summary>
internal static partial class StatsApi
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>The one user of <see cref="NodeConfig"/>(<paramref name="node"/>).</summary>
    public static (string Id, string Email) NodeUser(int node) => ($"5f6bd7a1-7d9c-4e4f-9a43-9d1c1a3c021{node}", $"node{node}@example.com");

    /// <summary>A VMess inbound (tag vmess-in) with one user of the node's own, and the API as V2Ray's docs configure it.</summary>
    public static string NodeConfig(int node) => $$"""
        {
          "log": { "loglevel": "info" },
          "api": { "tag": "api", "services": ["HandlerService", "StatsService"] },
          "stats": {},
          "inbounds": [
            { "tag": "vmess-in", "listen": "127.0.0.1", "port": 0, "protocol": "vmess",
              "settings": { "clients": [ { "id": "{{NodeUser(node).Id}}", "email": "{{NodeUser(node).Email}}" } ] } },
            { "tag": "api", "listen": "127.0.0.1", "port": 0, "protocol": "dokodemo-door", "settings": { "address": "127.0.0.1" } }
          ],
          "outbounds": [ { "protocol": "freedom" } ],
          "routing": { "rules": [ { "type": "field", "inboundTag": ["api"], "outboundTag": "api" } ] },
          "policy": { "levels": { "0": { "handshake": 2, "statsUserUplink": true, "statsUserDownlink": true } } }
        }
        """;

    /// <summary>The port of the node's gRPC API, once it has printed it.</summary>
    public static async Task<int> PortAsync(HostProcess node)
    {
        var line = await node.WaitForOutputAsync(line => ApiLine().IsMatch(line), Bound);
        return int.Parse(ApiLine().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The user's counters as QueryStats at the API on <paramref name="apiPort"/> reports them; zero while it has none.</summary>
    public static async Task<(long Up, long Down)> UserCountersAsync(int apiPort, string email, CancellationToken ct)
    {
        using var channel = Channel(apiPort);
        return await UserCountersAsync(channel, email, ct);
    }

    /// <summary>The user's counters as QueryStats over <paramref name="channel"/> reports them; zero while it has none.</summary>
    public static async Task<(long Up, long Down)> UserCountersAsync(GrpcChannel channel, string email, CancellationToken ct)
    {
        var prefix = $"user>>>{email}>>>traffic>>>";
        var response = await new StatsService.StatsServiceClient(channel).QueryStatsAsync(
            new QueryStatsRequest { Pattern = prefix, Reset = false }, deadline: DateTime.UtcNow + Bound, cancellationToken: ct);
        long Value(string direction) => response.Stat.FirstOrDefault(s => s.Name == prefix + direction)?.Value ?? 0;
        return (Value("uplink"), Value("downlink"));
    }

    public static GrpcChannel Channel(int apiPort) => GrpcChannel.ForAddress($"http://127.0.0.1:{apiPort}");

    [GeneratedRegex(@"api: gRPC .* on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ApiLine();
}
