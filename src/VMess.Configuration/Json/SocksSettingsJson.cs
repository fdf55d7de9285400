namespace VMess.Configuration.Json;

/// <summary><c>settings</c> of a socks inbound (infra/conf/socks.go, <c>SocksServerConfig</c>).</summary>
internal sealed class SocksSettingsJson
{
    public string? Auth { get; set; }

    public List<ProxyAccountJson?>? Accounts { get; set; }

    public bool? Udp { get; set; }

    public string? Ip { get; set; }

    public long? UserLevel { get; set; }
}
