using System.Text.Json;

namespace VMess.Configuration.Json;

/// <summary><c>streamSettings.tcpSettings</c> (infra/conf/transport_internet.go, <c>TCPConfig</c>).</summary>
internal sealed class TcpSettingsJson
{
    /// <summary>Kept raw: only its <c>type</c> matters here, and an http header carries much more.</summary>
    public JsonElement? Header { get; set; }

    public bool? AcceptProxyProtocol { get; set; }
}
