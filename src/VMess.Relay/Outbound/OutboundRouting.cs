using VMess.Configuration.Options;

namespace VMess.Relay.Outbound;

/// <summary>
/// The routing this node does: an inbound's traffic goes to the outbound of the first rule that names the inbound's
/// tag, else to the first outbound, as V2Ray's router falls back to its default handler. Routes are fixed per inbound,
/// so they are resolved once at start, never per connection.
/// </summary>
public static class OutboundRouting
{
    /// <summary>The outbound for traffic of inbound <paramref name="inboundTag"/>; <paramref name="outbounds"/> is never empty.</summary>
    public static T Route<T>(RoutingOptions routing, IReadOnlyList<T> outbounds, Func<T, string?> tagOf, string? inboundTag)
    {
        if (inboundTag is not null)
        {
            foreach (var rule in routing.Rules)
            {
                if (!rule.InboundTags.Contains(inboundTag)) continue;
                foreach (var outbound in outbounds)
                {
                    if (tagOf(outbound) == rule.OutboundTag) return outbound;
                }
            }
        }
        return outbounds[0];
    }
}
