namespace VMess.Configuration.Json;

/// <summary><c>settings.detour</c> of a vmess inbound (infra/conf/vmess.go, <c>VMessDetourConfig</c>).</summary>
internal sealed class VMessDetourJson
{
    public string? To { get; set; }
}
