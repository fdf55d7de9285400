using System.Text.Json;
using System.Text.Json.Nodes;

namespace VMess.Relay.Tests.Support;

/// <summary>
/// V2Ray 4.34 JSON for the hops of a chain, which our node and the real v2ray both run unchanged: a local proxy in
/// front of a VMess outbound, and a VMess relay that forwards to the next VMess server or straight out.
/// </summary>
internal static class HopConfigs
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// A person's machine: socks on <paramref name="socksPort"/> and http on <paramref name="httpPort"/>, both to one
    /// VMess server; with <paramref name="account"/>, both require it.
    /// </summary>
    public static string LocalProxy(int socksPort, int httpPort, int serverPort, NodeUser user, string security = "aes-128-gcm",
        (string User, string Pass)? account = null)
    {
        JsonArray Accounts() => account is { } a ? new JsonArray(new JsonObject { ["user"] = a.User, ["pass"] = a.Pass }) : new JsonArray();
        var socks = account is null
            ? new JsonObject { ["auth"] = "noauth", ["udp"] = false }
            : new JsonObject { ["auth"] = "password", ["accounts"] = Accounts(), ["udp"] = false };
        return Root(
            [
                Inbound("socks-in", socksPort, "socks", socks),
                Inbound("http-in", httpPort, "http", new JsonObject { ["accounts"] = Accounts() }),
            ],
            VMessOutbound(serverPort, user, security));
    }

    /// <summary>A VMess server for <paramref name="user"/> on <paramref name="port"/>: to the next VMess server when given, else direct.</summary>
    public static string Relay(int port, NodeUser user, (int Port, NodeUser User)? next = null)
    {
        var clients = new JsonArray(new JsonObject
        {
            ["id"] = user.Id.ToString(),
            ["alterId"] = user.AlterId,
            ["email"] = user.Email,
        });
        var outbound = next is { } hop
            ? VMessOutbound(hop.Port, hop.User, "aes-128-gcm")
            : new JsonObject { ["tag"] = "direct", ["protocol"] = "freedom", ["settings"] = new JsonObject() };
        return Root([Inbound("vmess-in", port, "vmess", new JsonObject { ["clients"] = clients })], outbound);
    }

    private static JsonObject Inbound(string tag, int port, string protocol, JsonObject settings) => new()
    {
        ["tag"] = tag,
        ["listen"] = "127.0.0.1",
        ["port"] = port,
        ["protocol"] = protocol,
        ["settings"] = settings,
    };

    private static JsonObject VMessOutbound(int serverPort, NodeUser user, string security) => new()
    {
        ["tag"] = "vmess-out",
        ["protocol"] = "vmess",
        ["settings"] = new JsonObject
        {
            ["vnext"] = new JsonArray(new JsonObject
            {
                ["address"] = "127.0.0.1",
                ["port"] = serverPort,
                ["users"] = new JsonArray(new JsonObject
                {
                    ["id"] = user.Id.ToString(),
                    ["alterId"] = user.AlterId,
                    ["security"] = security,
                }),
            }),
        },
    };

    private static string Root(JsonObject[] inbounds, JsonObject outbound) => new JsonObject
    {
        ["log"] = new JsonObject { ["loglevel"] = "warning" },
        ["inbounds"] = new JsonArray(inbounds),
        ["outbounds"] = new JsonArray(outbound),
    }.ToJsonString(Indented);
}
