namespace VMess.Registry.Traffic;

/// <summary>How a node reports its users' traffic to their entities and resets counters (<see cref="TrafficReporter"/>, <see cref="ClusterTrafficStats"/>).</summary>
public sealed record TrafficSettings
{
    public static readonly TimeSpan MinReportInterval = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan MaxReportInterval = TimeSpan.FromMinutes(1);

    public static TrafficSettings Default { get; } = new();

    /// <summary>
    /// How often the node tells each user's entity of its new bytes (one <c>AddTraffic</c> per user with new bytes, none
    /// for the others). A node that crashes loses at most the bytes of its last interval (and of reports not yet
    /// answered, see <see cref="ResendAfter"/>).
    /// </summary>
    public TimeSpan ReportInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A report not answered within this time is sent again, unchanged (the entity counts it once). Covers an entity
    /// whose node was lost: its reports go again once sharding has started it elsewhere. Rounded up to whole intervals.
    /// </summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a reset (<c>reset: true</c>) waits for each user's entity before the call fails.</summary>
    public TimeSpan ResetTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Every problem with these settings, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ReportInterval < MinReportInterval || ReportInterval > MaxReportInterval)
            errors.Add($"ReportInterval must be within {MinReportInterval}..{MaxReportInterval}, was {ReportInterval}.");
        if (ResendAfter < ReportInterval) errors.Add($"ResendAfter must be at least ReportInterval ({ReportInterval}), was {ResendAfter}.");
        if (ResetTimeout <= TimeSpan.Zero) errors.Add($"ResetTimeout must be positive, was {ResetTimeout}.");
        return errors;
    }

    internal TrafficSettings EnsureValid()
    {
        var errors = Validate();
        return errors.Count == 0 ? this : throw new ArgumentException("Invalid traffic settings: " + string.Join(" ", errors));
    }

    internal int ResendAfterIntervals => (int)Math.Max(1, Math.Ceiling(ResendAfter / ReportInterval));
}
