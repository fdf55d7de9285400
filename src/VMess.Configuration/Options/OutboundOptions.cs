namespace VMess.Configuration.Options;

/// <summary>
/// One outbound (<c>outbounds[i]</c>). Exactly the settings of <see cref="Protocol"/> are set. As in V2Ray, the first
/// outbound is the default one: it carries all traffic that no routing rule sends elsewhere.
/// <see cref="Mux"/> is the outbound's <c>mux</c> object (V2Ray's defaults when absent).
/// </summary>
public sealed record OutboundOptions(
    string? Tag,
    OutboundProtocol Protocol,
    FreedomSettings? Freedom,
    BlackholeSettings? Blackhole,
    VMessOutboundSettings? VMess = null,
    MuxOptions? Mux = null)
{
    /// <summary>The outbound used when a config has none: one untagged freedom with default settings.</summary>
    public static OutboundOptions DefaultFreedom { get; } =
        new(Tag: null, OutboundProtocol.Freedom, FreedomSettings.Default, Blackhole: null);
}
