using System.Collections.Immutable;

namespace VMess.Configuration.Options;

/// <summary>
/// A whole validated node config. <see cref="Outbounds"/> is never empty: a config without outbounds gets
/// <see cref="OutboundOptions.DefaultFreedom"/> (V2Ray itself would have no default outbound and drop the traffic).
/// Equality compares the arrays element by element.
/// </summary>
public sealed record NodeOptions(
    LogOptions Log,
    ImmutableArray<InboundOptions> Inbounds,
    ImmutableArray<OutboundOptions> Outbounds,
    PolicyOptions Policy,
    RoutingOptions? Routing = null)
{
    /// <summary>The routing rules; none when the config has no <c>routing</c>.</summary>
    public RoutingOptions EffectiveRouting => Routing ?? RoutingOptions.None;

    /// <summary>The operator API (<c>api</c> with its inbound); null when the config has none or routes no inbound to it.</summary>
    public ApiOptions? Api { get; init; }

    /// <summary>Whether the config has a <c>stats</c> object, which turns V2Ray's traffic counters on.</summary>
    public bool StatsEnabled { get; init; }

    public bool Equals(NodeOptions? other) =>
        other is not null
        && Log == other.Log
        && Inbounds.SequenceEqual(other.Inbounds)
        && Outbounds.SequenceEqual(other.Outbounds)
        && Policy == other.Policy
        && EffectiveRouting == other.EffectiveRouting
        && Api == other.Api
        && StatsEnabled == other.StatsEnabled;

    public override int GetHashCode() => HashCode.Combine(Log, Inbounds.Length, Outbounds.Length, Policy);
}
