namespace VMess.Configuration.Json;

/// <summary><c>settings.default</c> of a vmess inbound (infra/conf/vmess.go, <c>VMessDefaultConfig</c>).</summary>
internal sealed class VMessDefaultJson
{
    public long? Level { get; set; }

    public long? AlterId { get; set; }
}
