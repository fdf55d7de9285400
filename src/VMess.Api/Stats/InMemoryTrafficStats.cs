using System.Collections.Concurrent;
using VMess.Registry.Traffic;

namespace VMess.Api.Stats;

/// <summary>
/// Counters held in this process, matched as V2Ray 4.34's QueryStats matches them (a substring of the name; empty
/// matches all). What a node serves until the cluster's accounting is wired in, and what tests fill.
/// </summary>
public sealed class InMemoryTrafficStats : ITrafficStats
{
    private readonly ConcurrentDictionary<string, long> _counters = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="delta"/> to the counter, creating it at zero first.</summary>
    public void Add(string name, long delta) => _counters.AddOrUpdate(name, delta, (_, value) => value + delta);

    public Task<StatCounter?> GetAsync(string name, bool reset, CancellationToken cancellationToken)
    {
        if (!_counters.ContainsKey(name)) return Task.FromResult<StatCounter?>(null);
        return Task.FromResult<StatCounter?>(new StatCounter(name, reset ? Reset(name) : _counters.GetValueOrDefault(name)));
    }

    public Task<IReadOnlyList<StatCounter>> QueryAsync(string pattern, bool reset, CancellationToken cancellationToken)
    {
        IReadOnlyList<StatCounter> matches = [.. _counters.Keys
            .Where(name => name.Contains(pattern, StringComparison.Ordinal))
            .Select(name => new StatCounter(name, reset ? Reset(name) : _counters.GetValueOrDefault(name)))];
        return Task.FromResult(matches);
    }

    /// <summary>Zeroes the counter and returns its value before, in one step (V2Ray's <c>Set(0)</c>).</summary>
    private long Reset(string name)
    {
        while (_counters.TryGetValue(name, out var value))
        {
            if (_counters.TryUpdate(name, 0, value)) return value;
        }
        return 0;
    }
}
