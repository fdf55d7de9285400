using System.Text.Json;
using System.Text.Json.Nodes;

namespace VMess.Relay.Tests.Support;

/// <summary>
/// One path through a VMess client (a real v2ray, or our node, which reads the same config): a dokodemo-door on
/// 127.0.0.1:<see cref="LocalPort"/> forwarding to <see cref="TargetPort"/> on 127.0.0.1 through a vmess outbound to
/// 127.0.0.1:<see cref="ServerPort"/> as one user. With <see cref="Inbound"/> "socks" (UDP on, announcing 127.0.0.1)
/// or "http" the local port is a proxy instead, and <see cref="TargetPort"/> is unused. With
/// <see cref="MuxConcurrency"/> the vmess outbound multiplexes (Mux.Cool) up to that many sessions per connection.
/// </summary>
internal sealed record ClientRoute(int LocalPort, int TargetPort, int ServerPort, NodeUser User, string Security, string Network = "tcp",
    string Inbound = "dokodemo-door", int? MuxConcurrency = null)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// One v2ray client config carrying several routes (routing by inbound tag), so one process serves a whole test
    /// class. alterId 0 makes v2ray 4.34 send AEAD headers, alterId &gt; 0 the legacy ones.
    /// </summary>
    public static string ClientConfig(IReadOnlyList<ClientRoute> routes, string logLevel = "warning")
    {
        var inbounds = new JsonArray();
        var outbounds = new JsonArray();
        var rules = new JsonArray();
        for (var i = 0; i < routes.Count; i++)
        {
            var route = routes[i];
            inbounds.Add(new JsonObject
            {
                ["tag"] = $"in-{i}",
                ["listen"] = "127.0.0.1",
                ["port"] = route.LocalPort,
                ["protocol"] = route.Inbound,
                ["settings"] = route.Inbound switch
                {
                    "socks" => new JsonObject { ["auth"] = "noauth", ["udp"] = true, ["ip"] = "127.0.0.1" },
                    "http" => new JsonObject(),
                    _ => new JsonObject
                    {
                        ["address"] = "127.0.0.1",
                        ["port"] = route.TargetPort,
                        ["network"] = route.Network,
                    },
                },
            });
            var outbound = new JsonObject
            {
                ["tag"] = $"out-{i}",
                ["protocol"] = "vmess",
                ["settings"] = new JsonObject
                {
                    ["vnext"] = new JsonArray(new JsonObject
                    {
                        ["address"] = "127.0.0.1",
                        ["port"] = route.ServerPort,
                        ["users"] = new JsonArray(new JsonObject
                        {
                            ["id"] = route.User.Id.ToString(),
                            ["alterId"] = route.User.AlterId,
                            ["security"] = route.Security,
                            ["level"] = 0,
                        }),
                    }),
                },
            };
            if (route.MuxConcurrency is { } concurrency)
            {
                outbound["mux"] = new JsonObject { ["enabled"] = true, ["concurrency"] = concurrency };
            }

            outbounds.Add(outbound);
            rules.Add(new JsonObject
            {
                ["type"] = "field",
                ["inboundTag"] = new JsonArray($"in-{i}"),
                ["outboundTag"] = $"out-{i}",
            });
        }

        var root = new JsonObject
        {
            ["log"] = new JsonObject { ["loglevel"] = logLevel },
            ["inbounds"] = inbounds,
            ["outbounds"] = outbounds,
            ["routing"] = new JsonObject { ["rules"] = rules },
        };
        return root.ToJsonString(Indented);
    }
}
