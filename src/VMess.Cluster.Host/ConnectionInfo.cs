using System.Net;
using VMess.Configuration;
using VMess.Configuration.Options;
using VMess.Relay;

namespace VMess.Cluster.Host;

/// <summary>What a client needs to connect, printed at startup: address, port, id, alterId, security and a vmess:// link.</summary>
public static class ConnectionInfo
{
    private const int MaxUsersShown = 3;

    /// <param name="api">Where the operator API listens, when the config has one.</param>
    /// <param name="metrics">Where the Prometheus scrape endpoint listens, when VMess:Metrics:Port is set.</param>
    public static void Print(RelayNode node, string configPath, TextWriter output, IPEndPoint? api = null, IPEndPoint? metrics = null)
    {
        output.WriteLine($"vmess-cluster is running with {configPath}");
        foreach (var inbound in node.Inbounds)
        {
            var address = inbound.EndPoint.Address.Equals(IPAddress.Any) || inbound.EndPoint.Address.Equals(IPAddress.IPv6Any)
                ? "127.0.0.1"
                : inbound.EndPoint.Address.ToString();
            if (inbound.Options.VMess is not { } vmess)
            {
                // A local proxy: clients only need where it listens.
                output.WriteLine($"  inbound {inbound.Options.Tag ?? "(untagged)"}: {inbound.Options.Protocol.ToConfigName()} on {inbound.EndPoint}");
                continue;
            }
            var clients = vmess.Clients;
            output.WriteLine($"  inbound {inbound.Options.Tag ?? "(untagged)"}: vmess on {inbound.EndPoint}, {clients.Length} user(s)");
            foreach (var user in clients.Take(MaxUsersShown))
            {
                output.WriteLine($"    address: {address}");
                output.WriteLine($"    port:    {inbound.EndPoint.Port}");
                output.WriteLine($"    id:      {user.Id}");
                output.WriteLine($"    alterId: {user.AlterId}");
                output.WriteLine("    security: auto (any of aes-128-gcm, chacha20-poly1305, none" +
                                 (user.AlterId > 0 ? ", aes-128-cfb" : "") + ")");
                output.WriteLine($"    link:    {VMessShareLink.Format(user.Email ?? "vmess-cluster", address, inbound.EndPoint.Port, user.Id, user.AlterId, "auto")}");
            }
            if (clients.Length > MaxUsersShown) output.WriteLine($"    ... and {clients.Length - MaxUsersShown} more");
        }
        if (api is not null) output.WriteLine($"  api: gRPC (V2Ray's HandlerService, StatsService, LoggerService) on {api}");
        if (metrics is not null) output.WriteLine($"  metrics: Prometheus on http://{metrics}/metrics");
        output.WriteLine("press Ctrl+C to stop");
        output.Flush();
    }
}
