namespace VMess.Configuration.Json;

/// <summary><c>settings.vnext[i]</c> of a vmess outbound (infra/conf/vmess.go, <c>VMessOutboundTarget</c>).</summary>
internal sealed class VMessServerJson
{
    public string? Address { get; set; }

    public long? Port { get; set; }

    /// <summary>V2Ray reads each user as a <c>clients[i]</c> entry is read: id, alterId, security, level, email.</summary>
    public List<ClientJson?>? Users { get; set; }
}
