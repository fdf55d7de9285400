namespace VMess.Configuration.Json;

/// <summary><c>settings</c> of a vmess inbound (infra/conf/vmess.go, <c>VMessInboundConfig</c>).</summary>
internal sealed class VMessSettingsJson
{
    public List<ClientJson?>? Clients { get; set; }

    public VMessDefaultJson? Default { get; set; }

    public VMessDetourJson? Detour { get; set; }

    /// <summary>The older place for <c>detour</c>; V2Ray reads it only when <c>detour</c> is absent.</summary>
    public VMessFeaturesJson? Features { get; set; }

    public bool? DisableInsecureEncryption { get; set; }
}
