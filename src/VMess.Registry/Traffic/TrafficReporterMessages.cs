namespace VMess.Registry.Traffic;

/// <summary>
/// Asks a <see cref="TrafficReporter"/> to report now and answer <see cref="TrafficFlushed"/> once every report is
/// answered (the node is about to leave the cluster). Local only.
/// </summary>
public sealed record FlushTraffic
{
    public static FlushTraffic Instance { get; } = new();
}

public sealed record TrafficFlushed
{
    public static TrafficFlushed Instance { get; } = new();
}

/// <summary>Asks a <see cref="TrafficReporter"/> for its counts; answered with <see cref="TrafficReporterStats"/>. Local only.</summary>
public sealed record GetTrafficReporterStats
{
    public static GetTrafficReporterStats Instance { get; } = new();
}

/// <param name="Reports">Reports sent (each a first send of one user's bytes).</param>
/// <param name="Resends">Reports sent again, unanswered after <see cref="TrafficSettings.ResendAfter"/>.</param>
/// <param name="Unanswered">Users whose report awaits its answer now.</param>
public sealed record TrafficReporterStats(long Reports, long Resends, int Unanswered);
