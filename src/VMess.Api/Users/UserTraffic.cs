using VMess.Registry.Traffic;

namespace VMess.Api.Users;

/// <summary>A user's cluster-wide traffic totals, read from V2Ray's counter names (<c>user&gt;&gt;&gt;EMAIL&gt;&gt;&gt;traffic&gt;&gt;&gt;uplink</c>).</summary>
internal readonly record struct UserTraffic(long Uplink, long Downlink)
{
    private const string Prefix = "user>>>";
    private const string UplinkSuffix = ">>>traffic>>>uplink";
    private const string DownlinkSuffix = ">>>traffic>>>downlink";

    /// <summary>What QueryStats' pattern selects every user counter (and maybe others, which <see cref="ByEmail"/> skips) with.</summary>
    public const string QueryPattern = Prefix;

    public static string UplinkName(string email) => Prefix + email + UplinkSuffix;

    public static string DownlinkName(string email) => Prefix + email + DownlinkSuffix;

    /// <summary>The totals of every user among <paramref name="counters"/>, by email ignoring case (as V2Ray finds users).</summary>
    public static Dictionary<string, UserTraffic> ByEmail(IEnumerable<StatCounter> counters)
    {
        var totals = new Dictionary<string, UserTraffic>(StringComparer.OrdinalIgnoreCase);
        foreach (var counter in counters)
        {
            if (!counter.Name.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            if (counter.Name.EndsWith(UplinkSuffix, StringComparison.Ordinal))
            {
                var email = counter.Name[Prefix.Length..^UplinkSuffix.Length];
                totals[email] = totals.GetValueOrDefault(email) with { Uplink = counter.Value };
            }
            else if (counter.Name.EndsWith(DownlinkSuffix, StringComparison.Ordinal))
            {
                var email = counter.Name[Prefix.Length..^DownlinkSuffix.Length];
                totals[email] = totals.GetValueOrDefault(email) with { Downlink = counter.Value };
            }
        }
        return totals;
    }
}
