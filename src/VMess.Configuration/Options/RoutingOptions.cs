using System.Collections.Immutable;

namespace VMess.Configuration.Options;

/// <summary>
/// <c>routing</c>, reduced to what this node honours: rules that send traffic of given inbound tags to an outbound tag.
/// The first matching rule wins; traffic no rule matches goes to the first outbound.
/// </summary>
public sealed record RoutingOptions(ImmutableArray<RoutingRule> Rules)
{
    public static RoutingOptions None { get; } = new([]);

    public bool Equals(RoutingOptions? other) => other is not null && Rules.SequenceEqual(other.Rules);

    public override int GetHashCode() => Rules.Length;
}

/// <summary>One <c>routing.rules[i]</c>: traffic from any of <see cref="InboundTags"/> goes to <see cref="OutboundTag"/>.</summary>
public sealed record RoutingRule(ImmutableArray<string> InboundTags, string OutboundTag)
{
    public bool Equals(RoutingRule? other) =>
        other is not null && InboundTags.SequenceEqual(other.InboundTags) && OutboundTag == other.OutboundTag;

    public override int GetHashCode() => HashCode.Combine(InboundTags.Length, OutboundTag);
}
