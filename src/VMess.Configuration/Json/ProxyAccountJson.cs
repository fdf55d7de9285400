namespace VMess.Configuration.Json;

/// <summary>
/// <c>settings.accounts[i]</c> of a socks or http inbound (infra/conf/socks.go <c>SocksAccount</c>, http.go
/// <c>HTTPAccount</c>).
/// </summary>
internal sealed class ProxyAccountJson
{
    public string? User { get; set; }

    public string? Pass { get; set; }
}
