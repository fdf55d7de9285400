using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VMess.Relay.Tests.Support;

/// <summary>A range of loopback ports for a detour target's random ports.</summary>
internal sealed record PortSpan(int First, int Last)
{
    public int Count => Last - First + 1;

    public bool Contains(int port) => port >= First && port <= Last;

    public IEnumerable<int> Ports => Enumerable.Range(First, Count);

    public override string ToString() => $"{First}-{Last}";

    /// <summary>
    /// <paramref name="count"/> consecutive ports that are all free now, below the kernel's ephemeral range so an
    /// outgoing connection does not take one meanwhile.
    /// </summary>
    public static PortSpan Free(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = Random.Shared.Next(20000, 32000 - count);
            if (Enumerable.Range(first, count).All(IsFree)) return new PortSpan(first, first + count - 1);
        }
        throw new InvalidOperationException($"no {count} consecutive free ports in 20000-32000");
    }

    private static bool IsFree(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>
/// V2Ray JSON for a VMess server with dynamic ports: inbound "main" (the user, <c>detour.to</c> "dynamic") and inbound
/// "dynamic" on a port range with allocate "random" and no clients of its own, so whatever it accepts came as the
/// user the detour derived.
/// </summary>
internal static class DetourConfigs
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Our node: main on 127.0.0.1:<paramref name="mainPort"/> (0: any), freedom out.</summary>
    public static string Node(NodeUser user, PortSpan ports, int refreshMinutes, int concurrency, int mainPort = 0) =>
        Root(user, mainPort, ports, refreshMinutes, concurrency,
            new JsonArray(new JsonObject { ["protocol"] = "freedom", ["settings"] = new JsonObject() }), null);

    /// <summary>
    /// A real v2ray server: what comes through "main" goes out directly, what comes through "dynamic" goes out with
    /// freedom's redirect to 127.0.0.1:<paramref name="detourEchoPort"/>, so the echo server that answers tells which
    /// inbound took the connection.
    /// </summary>
    public static string V2RayServer(NodeUser user, int mainPort, PortSpan ports, int refreshMinutes, int concurrency, int detourEchoPort) =>
        Root(user, mainPort, ports, refreshMinutes, concurrency,
            new JsonArray(
                new JsonObject { ["tag"] = "direct", ["protocol"] = "freedom", ["settings"] = new JsonObject() },
                new JsonObject
                {
                    ["tag"] = "to-detour-echo",
                    ["protocol"] = "freedom",
                    ["settings"] = new JsonObject { ["redirect"] = $"127.0.0.1:{detourEchoPort}" },
                }),
            new JsonObject
            {
                ["rules"] = new JsonArray(new JsonObject
                {
                    ["type"] = "field",
                    ["inboundTag"] = new JsonArray("dynamic"),
                    ["outboundTag"] = "to-detour-echo",
                }),
            });

    private static string Root(NodeUser user, int mainPort, PortSpan ports, int refreshMinutes, int concurrency, JsonArray outbounds,
        JsonObject? routing)
    {
        var root = new JsonObject
        {
            // The access log goes to stdout, where the v2ray harness captures it.
            ["log"] = new JsonObject { ["loglevel"] = "warning", ["access"] = "" },
            ["inbounds"] = new JsonArray(
                new JsonObject
                {
                    ["tag"] = "main",
                    ["listen"] = "127.0.0.1",
                    ["port"] = mainPort,
                    ["protocol"] = "vmess",
                    ["settings"] = new JsonObject
                    {
                        ["clients"] = new JsonArray(new JsonObject
                        {
                            ["id"] = user.Id.ToString(),
                            ["alterId"] = user.AlterId,
                            ["level"] = 0,
                            ["email"] = user.Email,
                        }),
                        ["detour"] = new JsonObject { ["to"] = "dynamic" },
                    },
                },
                new JsonObject
                {
                    ["tag"] = "dynamic",
                    ["listen"] = "127.0.0.1",
                    ["port"] = ports.ToString(),
                    ["protocol"] = "vmess",
                    ["settings"] = new JsonObject
                    {
                        ["clients"] = new JsonArray(),
                        ["default"] = new JsonObject { ["level"] = 0, ["alterId"] = 0 },
                    },
                    ["allocate"] = new JsonObject { ["strategy"] = "random", ["refresh"] = refreshMinutes, ["concurrency"] = concurrency },
                }),
            ["outbounds"] = outbounds,
        };
        if (routing is not null) root["routing"] = routing;
        return root.ToJsonString(Indented);
    }
}
