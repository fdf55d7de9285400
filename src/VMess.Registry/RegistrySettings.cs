namespace VMess.Registry;

/// <summary>
/// How the user registry is laid out. <see cref="BucketCount"/> fixes which DData key holds each user, so every node
/// of a cluster must use the same value; changing it is a migration, not a restart.
/// </summary>
public sealed record RegistrySettings
{
    public const int MinBucketCount = 64;
    public const int MaxBucketCount = 256;

    public static RegistrySettings Default { get; } = new();

    /// <summary>DData top-level keys <c>users-0 … users-{N-1}</c>; never one key per user (deleted keys live forever).</summary>
    public int BucketCount { get; init; } = 128;

    /// <summary>Sharding's shard count: about ten times the largest expected node count.</summary>
    public int ShardCount { get; init; } = 100;

    /// <summary>How long a change's WriteMajority waits for acknowledgements before the entity replies anyway.</summary>
    public TimeSpan MajorityWriteTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Sharding remembers which user entities exist (in the journal) and restarts them after a full restart or a
    /// handover, so each recovers and re-projects its user without being sent anything. Removed users are forgotten.
    /// </summary>
    public bool RememberEntities { get; init; } = true;

    /// <summary>
    /// A change that reaches this node's authentication tables later than this after its entity wrote it is logged
    /// as a warning (the target is 1 s); faster ones at debug.
    /// </summary>
    public TimeSpan SyncLagWarning { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A user entity saves a snapshot after this many events (most are traffic reports, about one a second while the
    /// user is active), then deletes the events and snapshots before it: recovery reads one snapshot and fewer than this
    /// many events, and the journal keeps about this many rows per user.
    /// </summary>
    public int SnapshotEvery { get; init; } = 100;

    /// <summary>
    /// The longest single wait of a user entity for its user's expiry: a later expiry is looked at again after this
    /// (timers are not kept across restarts, and a far one needs no precision until it nears).
    /// </summary>
    public TimeSpan LongestExpiryWait { get; init; } = TimeSpan.FromHours(12);

    /// <summary>
    /// How often the projectors read the user and traffic buckets from the node's replica: a change is in the node's
    /// tables at most this long after it reached the replica (DData's subscriber notification plays this part for the
    /// online view; the host sets both from one setting).
    /// </summary>
    public TimeSpan ProjectionInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The cluster role that hosts user entities; null means every node.</summary>
    public string? Role { get; init; }

    /// <summary>Every problem with these settings, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BucketCount is < MinBucketCount or > MaxBucketCount)
            errors.Add($"BucketCount must be within {MinBucketCount}..{MaxBucketCount}, was {BucketCount}.");
        if (ShardCount < 1) errors.Add($"ShardCount must be positive, was {ShardCount}.");
        if (MajorityWriteTimeout <= TimeSpan.Zero) errors.Add($"MajorityWriteTimeout must be positive, was {MajorityWriteTimeout}.");
        if (SnapshotEvery < 1) errors.Add($"SnapshotEvery must be positive, was {SnapshotEvery}.");
        if (SyncLagWarning <= TimeSpan.Zero) errors.Add($"SyncLagWarning must be positive, was {SyncLagWarning}.");
        if (ProjectionInterval <= TimeSpan.Zero) errors.Add($"ProjectionInterval must be positive, was {ProjectionInterval}.");
        if (LongestExpiryWait <= TimeSpan.Zero) errors.Add($"LongestExpiryWait must be positive, was {LongestExpiryWait}.");
        return errors;
    }

    internal RegistrySettings EnsureValid()
    {
        var errors = Validate();
        return errors.Count == 0 ? this : throw new ArgumentException("Invalid registry settings: " + string.Join(" ", errors));
    }
}
