namespace VMess.Configuration.Json;

/// <summary><c>streamSettings</c> (infra/conf/transport_internet.go, <c>StreamConfig</c>).</summary>
internal sealed class StreamSettingsJson
{
    public string? Network { get; set; }

    public string? Security { get; set; }

    public TcpSettingsJson? TcpSettings { get; set; }
}
