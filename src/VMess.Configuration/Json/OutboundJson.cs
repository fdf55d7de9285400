using System.Text.Json;

namespace VMess.Configuration.Json;

/// <summary><c>outbounds[i]</c> (infra/conf/v2ray.go, <c>OutboundDetourConfig</c>).</summary>
internal sealed class OutboundJson
{
    public string? Protocol { get; set; }

    public string? Tag { get; set; }

    /// <summary>Read once <see cref="Protocol"/> is known.</summary>
    public JsonElement? Settings { get; set; }

    public StreamSettingsJson? StreamSettings { get; set; }

    public MuxJson? Mux { get; set; }
}
