using System.Globalization;
using System.Text.RegularExpressions;

namespace VMess.Cluster.Host.Operator;

/// <summary>
/// Sizes in bytes as an operator writes and reads them: a plain number of bytes, or a number with a unit, where KB, MB,
/// GB, TB and PB are powers of 1000 and KiB, MiB, GiB, TiB and PiB powers of 1024 (any case; <c>10GiB</c>, <c>1.5 TB</c>).
/// </summary>
internal static partial class ByteSize
{
    /// <summary>What <see cref="TryParse"/> takes, for an error message.</summary>
    public const string Accepted = "bytes (1000000) or a number with a unit (500MB, 1.5GiB; KB, MB, GB, TB, PB are powers of 1000, " +
        "KiB, MiB, GiB, TiB, PiB powers of 1024)";

    // Largest first; at each power the binary unit before the decimal one, so an exact GiB reads as GiB.
    private static readonly (string Unit, long Size)[] Units =
    [
        ("PiB", 1L << 50), ("PB", 1_000_000_000_000_000), ("TiB", 1L << 40), ("TB", 1_000_000_000_000),
        ("GiB", 1L << 30), ("GB", 1_000_000_000), ("MiB", 1L << 20), ("MB", 1_000_000), ("KiB", 1L << 10), ("KB", 1_000),
    ];

    /// <summary>The size <paramref name="text"/> gives, rounded to a whole byte; false when it is not a size or exceeds a long.</summary>
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var match = SizePattern().Match(text);
        if (!match.Success || !decimal.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        var unit = match.Groups[2].Value;
        long size;
        if (unit.Length == 0 || unit.Equals("B", StringComparison.OrdinalIgnoreCase)) size = 1;
        else if (Units.FirstOrDefault(u => u.Unit.Equals(unit, StringComparison.OrdinalIgnoreCase)) is { Unit: not null } known) size = known.Size;
        else return false;
        // A decimal holds 28 digits: a long times a PiB multiplier may not fit.
        if (number > long.MaxValue / (decimal)size + 1) return false;
        var exact = Math.Round(number * size, MidpointRounding.AwayFromZero);
        if (exact > long.MaxValue) return false;
        bytes = (long)exact;
        return true;
    }

    /// <summary>
    /// Short and readable: a whole number below 1024 of a unit when there is one (<c>10 GiB</c>, <c>500 MB</c>), else
    /// two decimals of the largest binary unit below it (<c>1.18 MiB</c>), else <c>N bytes</c>.
    /// </summary>
    public static string Format(long bytes)
    {
        foreach (var (unit, size) in Units)
        {
            if (bytes >= size && bytes % size == 0 && bytes / size < 1024) return $"{(bytes / size).ToString(CultureInfo.InvariantCulture)} {unit}";
        }
        foreach (var (unit, size) in Units.Where(u => u.Unit.EndsWith("iB", StringComparison.Ordinal)))
        {
            if (bytes >= size) return $"{((double)bytes / size).ToString("0.##", CultureInfo.InvariantCulture)} {unit}";
        }
        return $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes";
    }

    /// <summary><see cref="Format"/> followed by the exact count when that says more: <c>10 GiB (10737418240 bytes)</c>.</summary>
    public static string Describe(long bytes)
    {
        var exact = $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes";
        var readable = Format(bytes);
        return readable == exact ? exact : $"{readable} ({exact})";
    }

    [GeneratedRegex(@"^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*$")]
    private static partial Regex SizePattern();
}
