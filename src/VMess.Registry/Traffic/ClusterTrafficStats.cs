using Akka.Actor;
using VMess.Registry.Messages;

namespace VMess.Registry.Traffic;

/// <summary>
/// V2Ray's traffic counters on this cluster. User counters are cluster-wide totals, read from this node's
/// <see cref="ClusterTrafficView"/> (so a read asks nobody; it may trail the entities by a report and a gossip round);
/// a reset goes to each user's entity, which persists it and answers with the values it cleared. Inbound counters are
/// this node's (<see cref="TrafficLedger"/>), as in V2Ray; reading them first collects the live connections.
/// Patterns match as V2Ray 4.34's QueryStats does: a name matches when it contains the pattern (the empty one: all).
/// </summary>
public sealed class ClusterTrafficStats(ClusterTrafficView users, TrafficLedger node, IActorRef registry, TrafficSettings settings) : ITrafficStats
{
    private static readonly TrafficDirection[] Directions = [TrafficDirection.Uplink, TrafficDirection.Downlink];

    public async Task<StatCounter?> GetAsync(string name, bool reset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!StatCounterNames.TryParse(name, out var subject, out var subjectName, out var direction)) return null;
        if (subject == StatCounterSubject.Inbound)
        {
            node.Collect();
            return node.FindInbound(subjectName) is { } inbound
                ? new StatCounter(name, reset ? inbound.Reset(direction) : inbound.Read(direction))
                : null;
        }
        var key = UserKey.ForEmail(subjectName);
        // Exact names only, as V2Ray's map: the email as the user's record spells it.
        if (users.Find(key) is not { } record || record.Email != subjectName) return null;
        if (!reset) return new StatCounter(name, Read(record, direction));
        var before = await ResetAsync(key, direction == TrafficDirection.Uplink, direction == TrafficDirection.Downlink, cancellationToken);
        return new StatCounter(name, direction == TrafficDirection.Uplink ? before.Uplink : before.Downlink);
    }

    public async Task<IReadOnlyList<StatCounter>> QueryAsync(string pattern, bool reset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var counters = new List<StatCounter>();
        var resets = new List<(string Key, string Email, bool Uplink, bool Downlink)>();
        foreach (var (key, record) in users.All())
        {
            var uplink = Matches(StatCounterNames.User(record.Email, TrafficDirection.Uplink), pattern);
            var downlink = Matches(StatCounterNames.User(record.Email, TrafficDirection.Downlink), pattern);
            if (reset && (uplink || downlink)) resets.Add((key, record.Email, uplink, downlink));
            else
            {
                if (uplink) counters.Add(new StatCounter(StatCounterNames.User(record.Email, TrafficDirection.Uplink), record.Uplink));
                if (downlink) counters.Add(new StatCounter(StatCounterNames.User(record.Email, TrafficDirection.Downlink), record.Downlink));
            }
        }
        if (resets.Count > 0)
        {
            var cleared = await Task.WhenAll(resets.Select(r => ResetAsync(r.Key, r.Uplink, r.Downlink, cancellationToken)));
            for (var i = 0; i < resets.Count; i++)
            {
                var (_, email, uplink, downlink) = resets[i];
                if (uplink) counters.Add(new StatCounter(StatCounterNames.User(email, TrafficDirection.Uplink), cleared[i].Uplink));
                if (downlink) counters.Add(new StatCounter(StatCounterNames.User(email, TrafficDirection.Downlink), cleared[i].Downlink));
            }
        }
        node.Collect();
        foreach (var inbound in node.Inbounds)
        {
            foreach (var direction in Directions)
            {
                var name = StatCounterNames.Inbound(inbound.Tag, direction);
                if (Matches(name, pattern)) counters.Add(new StatCounter(name, reset ? inbound.Reset(direction) : inbound.Read(direction)));
            }
        }
        counters.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return counters;
    }

    private static bool Matches(string name, string pattern) => name.Contains(pattern, StringComparison.Ordinal);

    private static long Read(UserTrafficRecord record, TrafficDirection direction) =>
        direction == TrafficDirection.Uplink ? record.Uplink : record.Downlink;

    private Task<ResetTrafficResult> ResetAsync(string key, bool uplink, bool downlink, CancellationToken cancellationToken) =>
        registry.Ask<ResetTrafficResult>(new ResetTraffic(key, uplink, downlink), settings.ResetTimeout, cancellationToken);
}
