using System.Text.Json;
using System.Text.Json.Nodes;
using VMess.Protocol.Ids;

namespace VMess.Relay.Tests.Support;

/// <summary>A user of the node under test, as its V2Ray JSON lists it.</summary>
internal sealed record NodeUser(VMessUserId Id, int AlterId, string Email)
{
    public static NodeUser Aead(string email) => new(VMessUserId.NewRandom(), 0, email);

    public static NodeUser Legacy(string email, int alterId = 4) => new(VMessUserId.NewRandom(), alterId, email);
}

/// <summary>V2Ray-style JSON configs for the node under test: one vmess inbound on 127.0.0.1:0, freedom out.</summary>
internal static class NodeConfigs
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <param name="handshakeSeconds">policy.levels["0"].handshake; null leaves V2Ray's default.</param>
    public static string Json(IEnumerable<NodeUser> users, bool disableInsecureEncryption = false, int? handshakeSeconds = null)
    {
        var clients = new JsonArray();
        foreach (var user in users)
        {
            clients.Add(new JsonObject
            {
                ["id"] = user.Id.ToString(),
                ["alterId"] = user.AlterId,
                ["level"] = 0,
                ["email"] = user.Email,
            });
        }

        var root = new JsonObject
        {
            ["log"] = new JsonObject { ["loglevel"] = "warning" },
            ["inbounds"] = new JsonArray(new JsonObject
            {
                ["tag"] = "vmess-in",
                ["listen"] = "127.0.0.1",
                ["port"] = 0,
                ["protocol"] = "vmess",
                ["settings"] = new JsonObject
                {
                    ["clients"] = clients,
                    ["disableInsecureEncryption"] = disableInsecureEncryption,
                },
            }),
            ["outbounds"] = new JsonArray(new JsonObject { ["protocol"] = "freedom", ["settings"] = new JsonObject() }),
        };
        if (handshakeSeconds is { } handshake)
        {
            root["policy"] = new JsonObject
            {
                ["levels"] = new JsonObject { ["0"] = new JsonObject { ["handshake"] = handshake } },
            };
        }

        return root.ToJsonString(Indented);
    }
}
