using System.Collections.Immutable;

namespace VMess.Registry;

/// <summary>The last report applied from one reporting node (<see cref="Messages.AddTraffic.Reporter"/>).</summary>
public readonly record struct ReportMark(long Reporter, long Sequence);

/// <summary>
/// One user's traffic counters, cluster-wide totals, pure. <see cref="LastReports"/> remembers the newest report
/// applied from each of the last <see cref="MaxReporters"/> reporting nodes, so a report sent again (its answer lost)
/// counts once. A reporter's reports for one user are one at a time, so a sequence at or below its mark was applied.
/// </summary>
public sealed record TrafficState(long Uplink, long Downlink, ImmutableArray<ReportMark> LastReports)
{
    /// <summary>
    /// Reporters remembered per user. Each node start is a new reporter; a resent report only comes within seconds of
    /// the first, so 32 other nodes (or restarts) reporting for the same user in between cannot happen in practice.
    /// </summary>
    public const int MaxReporters = 32;

    public static TrafficState Empty { get; } = new(0, 0, ImmutableArray<ReportMark>.Empty);

    /// <summary>Whether the user's counters exist: from its first report on, as V2Ray registers a counter on first use.</summary>
    public bool HasCounters => !LastReports.IsDefaultOrEmpty;

    public bool IsApplied(long reporter, long sequence)
    {
        foreach (var mark in LastReports)
        {
            if (mark.Reporter == reporter) return sequence <= mark.Sequence;
        }
        return false;
    }

    /// <summary>Counts a report; its reporter's mark moves to the end, the oldest mark drops past <see cref="MaxReporters"/>.</summary>
    public TrafficState Add(long reporter, long sequence, long uplink, long downlink)
    {
        var marks = LastReports.IsDefault ? ImmutableArray<ReportMark>.Empty : LastReports;
        var index = -1;
        for (var i = 0; i < marks.Length; i++)
        {
            if (marks[i].Reporter == reporter) index = i;
        }
        if (index >= 0) marks = marks.RemoveAt(index);
        else if (marks.Length >= MaxReporters) marks = marks.RemoveAt(0);
        return new TrafficState(Uplink + uplink, Downlink + downlink, marks.Add(new ReportMark(reporter, sequence)));
    }

    public TrafficState Reset(bool uplink, bool downlink) =>
        this with { Uplink = uplink ? 0 : Uplink, Downlink = downlink ? 0 : Downlink };

    public bool Equals(TrafficState? other) =>
        other is not null && Uplink == other.Uplink && Downlink == other.Downlink
        && LastReports.AsSpan().SequenceEqual(other.LastReports.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Uplink, Downlink, LastReports.Length);
}
