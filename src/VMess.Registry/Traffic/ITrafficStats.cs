namespace VMess.Registry.Traffic;

/// <summary>One counter as V2Ray's StatsService names it, e.g. <c>user&gt;&gt;&gt;EMAIL&gt;&gt;&gt;traffic&gt;&gt;&gt;uplink</c>.</summary>
public sealed record StatCounter(string Name, long Value);

/// <summary>
/// The traffic counters the operator API serves. User counters are cluster-wide totals, kept by the users' entities;
/// inbound counters (<c>inbound&gt;&gt;&gt;TAG&gt;&gt;&gt;traffic&gt;&gt;&gt;uplink</c>) are this node's, as in V2Ray.
/// </summary>
public interface ITrafficStats
{
    /// <summary>One counter by its exact name; null when no such counter exists. <paramref name="reset"/> zeroes it and returns the value before.</summary>
    Task<StatCounter?> GetAsync(string name, bool reset, CancellationToken cancellationToken);

    /// <summary>Every counter whose name matches <paramref name="pattern"/> as V2Ray 4.34's QueryStats matches it (empty: all).</summary>
    Task<IReadOnlyList<StatCounter>> QueryAsync(string pattern, bool reset, CancellationToken cancellationToken);
}
