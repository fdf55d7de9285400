namespace VMess.Configuration.Json;

/// <summary><c>settings.features</c> of a vmess inbound (infra/conf/vmess.go, <c>FeaturesConfig</c>).</summary>
internal sealed class VMessFeaturesJson
{
    public VMessDetourJson? Detour { get; set; }
}
