namespace VMess.Configuration.Json;

/// <summary><c>settings</c> of a vmess outbound (infra/conf/vmess.go, <c>VMessOutboundConfig</c>).</summary>
internal sealed class VMessOutboundSettingsJson
{
    public List<VMessServerJson?>? Vnext { get; set; }
}
