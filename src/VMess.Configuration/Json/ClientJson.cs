namespace VMess.Configuration.Json;

/// <summary>
/// <c>settings.clients[i]</c> of a vmess inbound: V2Ray reads it twice, as <c>protocol.User</c> (level, email) and
/// as <c>VMessAccount</c> (id, alterId, security).
/// </summary>
internal sealed class ClientJson
{
    public string? Id { get; set; }

    public long? Level { get; set; }

    public long? AlterId { get; set; }

    public string? Email { get; set; }

    /// <summary>Only the client side uses it; a server checks the name and otherwise ignores it.</summary>
    public string? Security { get; set; }
}
