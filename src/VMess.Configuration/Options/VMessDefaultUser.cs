namespace VMess.Configuration.Options;

/// <summary>
/// <c>settings.default</c> of a VMess inbound: the level and alterId given to users that this inbound learns about
/// without a <c>clients</c> entry (V2Ray uses it for detour targets).
/// </summary>
public sealed record VMessDefaultUser(byte Level, ushort AlterId)
{
    /// <summary>
    /// Level 0, alterId 0: V2Ray 4.34 builds an empty <c>DefaultConfig</c> when <c>default</c> is absent
    /// (proxy/vmess/inbound/config.go, <c>GetDefaultValue</c>) and leaves absent fields at zero when it is present
    /// (infra/conf/vmess.go, <c>VMessDefaultConfig</c>). The older documentation's "64" is not what 4.34 does.
    /// </summary>
    public static VMessDefaultUser Default { get; } = new(Level: 0, AlterId: 0);
}
