using System.Globalization;
using System.Text.RegularExpressions;

namespace VMess.Cluster.Host.Operator;

/// <summary>
/// A user's expiry as an operator writes and reads it; the registry holds it as unix milliseconds, 0 for never. Written
/// as an ISO-8601 date or date and time (UTC unless it names an offset: <c>2027-01-01</c>, <c>2027-01-01T12:00:00+02:00</c>),
/// a time from now (<c>30d</c>, <c>12h</c>, <c>1d12h</c>; w, d, h, m for minutes, s), or <c>never</c> (or 0); read in UTC.
/// </summary>
internal static partial class ExpiryTime
{
    /// <summary>What <see cref="TryParse"/> takes, for an error message.</summary>
    public const string Accepted = "an ISO-8601 date or date and time (2027-01-01, 2027-01-01T12:00:00Z; UTC without an offset), " +
        "a time from now (30d, 12h, 1d12h; w, d, h, m = minutes, s) or never (also 0)";

    // DateTimeOffset.MaxValue (9999-12-31T23:59:59.999Z).
    private const long MaxUnixMs = 253_402_300_799_999;

    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>
    /// The unix time in milliseconds <paramref name="text"/> names, a relative one counted from <paramref name="now"/>;
    /// 0 for <c>never</c> or <c>0</c>. False when it is none of the accepted forms or not after 1970-01-01T00:00:00Z.
    /// </summary>
    public static bool TryParse(string text, DateTimeOffset now, out long unixMs)
    {
        unixMs = 0;
        text = text.Trim();
        // 0 as for the other limits: none.
        if (text.Equals("never", StringComparison.OrdinalIgnoreCase) || text == "0") return true;
        DateTimeOffset at;
        if (DurationPattern().IsMatch(text))
        {
            if (!TryParseDuration(text, out var duration) || duration > DateTimeOffset.MaxValue - now) return false;
            at = now + duration;
        }
        else if (!DateTimeOffset.TryParseExact(text.Replace(' ', 'T'), IsoFormats, CultureInfo.InvariantCulture,
                     DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at))
        {
            return false;
        }
        unixMs = at.ToUnixTimeMilliseconds();
        // 0 would mean never.
        return unixMs > 0;
    }

    /// <summary>UTC in ISO-8601 (<c>2027-01-01T00:00:00Z</c>, milliseconds only when there are some); <c>never</c> for 0.</summary>
    public static string Format(long unixMs) => unixMs switch
    {
        0 => "never",
        < 0 or > MaxUnixMs => $"unix ms {unixMs.ToString(CultureInfo.InvariantCulture)}",
        _ => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture),
    };

    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        foreach (Match part in DurationPart().Matches(text))
        {
            if (!long.TryParse(part.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)) return false;
            var unit = part.Groups[2].Value switch
            {
                "w" => TimeSpan.FromDays(7),
                "d" => TimeSpan.FromDays(1),
                "h" => TimeSpan.FromHours(1),
                "m" => TimeSpan.FromMinutes(1),
                _ => TimeSpan.FromSeconds(1),
            };
            if (count > TimeSpan.MaxValue.Ticks / unit.Ticks) return false;
            var add = TimeSpan.FromTicks(count * unit.Ticks);
            if (add > TimeSpan.MaxValue - duration) return false;
            duration += add;
        }
        return true;
    }

    [GeneratedRegex("^([0-9]+[wdhms])+$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex("([0-9]+)([wdhms])")]
    private static partial Regex DurationPart();
}
