using System.Text.Json;

namespace VMess.Configuration.Json;

/// <summary><c>settings</c> of a dokodemo-door inbound (infra/conf/dokodemo.go, <c>DokodemoConfig</c>).</summary>
internal sealed class DokodemoSettingsJson
{
    public string? Address { get; set; }

    public long? Port { get; set; }

    /// <summary>Kept raw: V2Ray takes an array of names or one string of comma-separated names.</summary>
    public JsonElement? Network { get; set; }

    public long? Timeout { get; set; }

    public bool? FollowRedirect { get; set; }

    public long? UserLevel { get; set; }
}
