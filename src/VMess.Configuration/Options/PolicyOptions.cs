using System.Collections.Immutable;

namespace VMess.Configuration.Options;

/// <summary>
/// <c>policy</c>: the levels the config names, each already merged over <see cref="LevelPolicy.Default"/>, and the
/// system counters. Equality compares <see cref="Levels"/> entry by entry.
/// </summary>
public sealed record PolicyOptions(ImmutableDictionary<int, LevelPolicy> Levels, SystemPolicy System)
{
    /// <summary>No <c>policy</c> section: every level gets <see cref="LevelPolicy.Default"/>.</summary>
    public static PolicyOptions Default { get; } = new(ImmutableDictionary<int, LevelPolicy>.Empty, SystemPolicy.Default);

    /// <summary>The configured policy for <paramref name="level"/>, else V2Ray's default (app/policy/manager.go).</summary>
    public LevelPolicy ForLevel(int level) => Levels.TryGetValue(level, out var policy) ? policy : LevelPolicy.Default;

    public bool Equals(PolicyOptions? other) =>
        other is not null
        && System == other.System
        && Levels.Count == other.Levels.Count
        && Levels.All(entry => other.Levels.TryGetValue(entry.Key, out var policy) && policy == entry.Value);

    public override int GetHashCode() => HashCode.Combine(Levels.Count, System);
}
