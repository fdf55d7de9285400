using System.Text.Json;

namespace VMess.Configuration.Json;

/// <summary><c>inbounds[i]</c> (infra/conf/v2ray.go, <c>InboundDetourConfig</c>).</summary>
internal sealed class InboundJson
{
    public string? Protocol { get; set; }

    /// <summary>A number or a string: a number too, a range ("1000-2000"), or "env:NAME" (not read here).</summary>
    public JsonElement? Port { get; set; }

    public string? Listen { get; set; }

    /// <summary>Read once <see cref="Protocol"/> is known.</summary>
    public JsonElement? Settings { get; set; }

    public string? Tag { get; set; }

    public StreamSettingsJson? StreamSettings { get; set; }

    public AllocateJson? Allocate { get; set; }
}
