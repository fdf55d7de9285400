using VMess.Registry.Messages;

namespace VMess.Registry.Online;

/// <summary>One of this node's connections of a user, as the policy weighs it.</summary>
/// <param name="Sequence">The node's own number for it, rising with each connection (the tie-break within the node).</param>
/// <param name="OpenedAt">When its handshake was accepted (UTC ticks).</param>
/// <param name="SourceIp">Its client's address as text ("unknown" when the socket did not say).</param>
public readonly record struct LocalConnectionStamp(long Sequence, long OpenedAt, string SourceIp);

/// <summary>Which limit a connection is over.</summary>
public enum ConnectionLimitBreach : byte
{
    /// <summary>Newer than the cluster's oldest <see cref="UserLimits.MaxConnections"/> connections.</summary>
    Connections = 1,

    /// <summary>From a source IP that came after the cluster's first <see cref="UserLimits.MaxSourceIps"/>.</summary>
    SourceIps = 2,
}

/// <summary>What another reachable member published for the user, under that member's key (<see cref="OnlineKeys"/>).</summary>
public sealed record MemberConnections(string Member, OnlineUser User);

/// <summary>
/// Which of this node's connections of one user go when the cluster holds more than the user's limits allow. Every
/// node applies the same rule to the same published facts, so they agree without asking each other: the oldest
/// <see cref="UserLimits.MaxConnections"/> connections stay, and the connections from the
/// <see cref="UserLimits.MaxSourceIps"/> source IPs seen first stay; the rest close. A connection that opens while its
/// user is at a limit is the newest there is, so it is the one that goes, at once. Ties in time go to the member whose
/// key sorts first (nodes' clocks only order connections made on different nodes to within their skew).
/// </summary>
public static class ConnectionLimitPolicy
{
    /// <summary>
    /// The local connections to close, by <see cref="LocalConnectionStamp.Sequence"/>, with the limit each is over (the
    /// connection limit when both); empty when all may stay.
    /// </summary>
    public static IReadOnlyDictionary<long, ConnectionLimitBreach> ToClose(UserLimits limits, string self, IReadOnlyList<LocalConnectionStamp> local,
        IReadOnlyList<MemberConnections> others)
    {
        if (local.Count == 0 || !limits.LimitsConnections) return Empty;
        Dictionary<long, ConnectionLimitBreach>? close = null;
        if (limits.MaxConnections > 0) OverConnectionLimit(limits.MaxConnections, self, local, others, ref close);
        if (limits.MaxSourceIps > 0) OverSourceIpLimit(limits.MaxSourceIps, self, local, others, ref close);
        return close ?? Empty;
    }

    /// <summary>
    /// What a node publishes of its connections for others to weigh: the open times of its oldest
    /// <paramref name="limits"/>.MaxConnections connections (a connection later than those cannot be among the cluster's
    /// oldest either), and for its first <paramref name="limits"/>.MaxSourceIps IPs their first open time.
    /// </summary>
    public static (IReadOnlyList<long> OldestOpenedAt, IReadOnlyDictionary<string, long> FirstOpenedAtByIp) Published(
        UserLimits limits, IReadOnlyList<LocalConnectionStamp> local)
    {
        IReadOnlyList<long> oldest = [];
        IReadOnlyDictionary<string, long> byIp = NoIps;
        if (limits.MaxConnections > 0)
            oldest = local.Select(c => c.OpenedAt).Order().Take(limits.MaxConnections).ToArray();
        if (limits.MaxSourceIps > 0)
            byIp = FirstOpenedAtByIp(local).OrderBy(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
                .Take(limits.MaxSourceIps).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return (oldest, byIp);
    }

    private static readonly IReadOnlyDictionary<long, ConnectionLimitBreach> Empty = new Dictionary<long, ConnectionLimitBreach>();
    private static readonly IReadOnlyDictionary<string, long> NoIps = new Dictionary<string, long>();

    private static void OverConnectionLimit(int max, string self, IReadOnlyList<LocalConnectionStamp> local, IReadOnlyList<MemberConnections> others,
        ref Dictionary<long, ConnectionLimitBreach>? close)
    {
        // Most limited users are within their limit most of the time: no ranking then.
        var total = local.Count;
        foreach (var other in others) total += other.User.OldestOpenedAt.Count;
        if (total <= max) return;
        var ordered = local.OrderBy(c => c.OpenedAt).ThenBy(c => c.Sequence).ToArray();
        for (var i = 0; i < ordered.Length; i++)
        {
            // Its rank in the cluster: the local ones before it, and every other member's connection before it.
            var rank = i;
            foreach (var other in others)
            {
                foreach (var openedAt in other.User.OldestOpenedAt)
                {
                    if (Before(openedAt, other.Member, ordered[i].OpenedAt, self)) rank++;
                }
            }
            if (rank >= max) (close ??= [])[ordered[i].Sequence] = ConnectionLimitBreach.Connections;
        }
    }

    private static void OverSourceIpLimit(int max, string self, IReadOnlyList<LocalConnectionStamp> local, IReadOnlyList<MemberConnections> others,
        ref Dictionary<long, ConnectionLimitBreach>? close)
    {
        // Each IP's first appearance anywhere, and where.
        var first = new Dictionary<string, (long OpenedAt, string Member)>(StringComparer.Ordinal);
        foreach (var (ip, openedAt) in FirstOpenedAtByIp(local)) first[ip] = (openedAt, self);
        foreach (var other in others)
        {
            foreach (var (ip, openedAt) in other.User.FirstOpenedAtByIp)
            {
                if (!first.TryGetValue(ip, out var seen) || Before(openedAt, other.Member, seen.OpenedAt, seen.Member)) first[ip] = (openedAt, other.Member);
            }
        }
        if (first.Count <= max) return;
        var kept = first.OrderBy(p => p.Value.OpenedAt).ThenBy(p => p.Value.Member, StringComparer.Ordinal).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(max).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var connection in local)
        {
            if (!kept.Contains(connection.SourceIp)) (close ??= []).TryAdd(connection.Sequence, ConnectionLimitBreach.SourceIps);
        }
    }

    private static Dictionary<string, long> FirstOpenedAtByIp(IReadOnlyList<LocalConnectionStamp> local)
    {
        var byIp = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var connection in local)
        {
            if (!byIp.TryGetValue(connection.SourceIp, out var seen) || connection.OpenedAt < seen) byIp[connection.SourceIp] = connection.OpenedAt;
        }
        return byIp;
    }

    private static bool Before(long openedAt, string member, long thanOpenedAt, string thanMember) =>
        openedAt < thanOpenedAt || (openedAt == thanOpenedAt && string.CompareOrdinal(member, thanMember) < 0);
}
