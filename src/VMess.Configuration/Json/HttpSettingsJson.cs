namespace VMess.Configuration.Json;

/// <summary><c>settings</c> of an http inbound (infra/conf/http.go, <c>HTTPServerConfig</c>).</summary>
internal sealed class HttpSettingsJson
{
    public long? Timeout { get; set; }

    public List<ProxyAccountJson?>? Accounts { get; set; }

    public bool? AllowTransparent { get; set; }

    public long? UserLevel { get; set; }
}
