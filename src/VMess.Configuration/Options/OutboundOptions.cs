namespace VMess.Configuration.Options;

/// <summary>
/// One outbound (<c>outbounds[i]</c>). Exactly the settings of <see cref="Protocol"/> are set. As in V2Ray, the first
/// outbound is the default one; routing is not supported, so it carries all traffic.
/// </summary>
public sealed record OutboundOptions(
    string? Tag,
    OutboundProtocol Protocol,
    FreedomSettings? Freedom,
    BlackholeSettings? Blackhole)
{
    /// <summary>The outbound used when a config has none: one untagged freedom with default settings.</summary>
    public static OutboundOptions DefaultFreedom { get; } =
        new(Tag: null, OutboundProtocol.Freedom, FreedomSettings.Default, Blackhole: null);
}
