using System.Text.Json;
using System.Text.Json.Nodes;

namespace VMess.Testing;

/// <summary>
/// V2Ray 4.34 JSON configs (shape from <c>infra/conf/{v2ray,vmess,dokodemo,log}.go</c>) for loopback interop tests.
/// Everything listens on 127.0.0.1 only.
/// </summary>
public static class V2RayConfigs
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// A v2ray client: dokodemo-door on 127.0.0.1:<paramref name="localPort"/> forwarding to the fixed
    /// <paramref name="targetHost"/>:<paramref name="targetPort"/> through a vmess outbound to 127.0.0.1:<paramref name="serverPort"/>.
    /// alterId 0 makes v2ray 4.34 speak AEAD headers; alterId &gt; 0 the legacy MD5/AES-CFB header.
    /// </summary>
    /// <param name="security">"aes-128-gcm", "chacha20-poly1305", "none" or "auto" (v2ray maps anything else to auto).</param>
    /// <param name="network">dokodemo networks: "tcp", "udp" or "tcp,udp" (both listen on the same port).</param>
    public static string Client(
        int localPort,
        string targetHost,
        int targetPort,
        int serverPort,
        string userId,
        int alterId,
        string security,
        string network = "tcp,udp",
        string logLevel = "warning")
    {
        var inbound = new JsonObject
        {
            ["tag"] = "dokodemo-in",
            ["listen"] = "127.0.0.1",
            ["port"] = localPort,
            ["protocol"] = "dokodemo-door",
            ["settings"] = new JsonObject
            {
                ["address"] = targetHost,
                ["port"] = targetPort,
                ["network"] = network,
            },
        };
        var outbound = new JsonObject
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
                        ["id"] = userId,
                        ["alterId"] = alterId,
                        ["security"] = security,
                        ["level"] = 0,
                    }),
                }),
            },
        };
        return Root(logLevel, inbound, outbound);
    }

    /// <summary>
    /// A v2ray server: vmess inbound on 127.0.0.1:<paramref name="port"/> with the given users (level 0) -> freedom outbound.
    /// </summary>
    public static string Server(
        int port,
        IEnumerable<(string id, int alterId, string email)> users,
        bool disableInsecureEncryption = false,
        string logLevel = "warning")
    {
        ArgumentNullException.ThrowIfNull(users);
        var clients = new JsonArray();
        foreach (var (id, alterId, email) in users)
        {
            clients.Add(new JsonObject
            {
                ["id"] = id,
                ["alterId"] = alterId,
                ["level"] = 0,
                ["email"] = email,
            });
        }

        var inbound = new JsonObject
        {
            ["tag"] = "vmess-in",
            ["listen"] = "127.0.0.1",
            ["port"] = port,
            ["protocol"] = "vmess",
            ["settings"] = new JsonObject
            {
                ["clients"] = clients,
                ["disableInsecureEncryption"] = disableInsecureEncryption,
            },
        };
        var outbound = new JsonObject
        {
            ["tag"] = "direct",
            ["protocol"] = "freedom",
            ["settings"] = new JsonObject(),
        };
        return Root(logLevel, inbound, outbound);
    }

    private static string Root(string logLevel, JsonObject inbound, JsonObject outbound)
    {
        var root = new JsonObject
        {
            ["log"] = new JsonObject { ["loglevel"] = logLevel },
            ["inbounds"] = new JsonArray(inbound),
            ["outbounds"] = new JsonArray(outbound),
        };
        return root.ToJsonString(Indented);
    }
}
