namespace VMess.Configuration.Json;

/// <summary>Words the "unknown property" error with the nearest known name, if one is close.</summary>
internal static class NameSuggester
{
    public static string UnknownProperty(string name, IEnumerable<string> known)
    {
        var names = known.ToList();
        var sameLetters = names.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
        if (sameLetters is not null)
        {
            // Go's encoding/json would accept it; this node reads names exactly as V2Ray documents them.
            return $"unknown property '{name}'; did you mean '{sameLetters}'? (names are case-sensitive)";
        }

        var nearest = Nearest(name, names);
        return nearest is null ? $"unknown property '{name}'" : $"unknown property '{name}'; did you mean '{nearest}'?";
    }

    /// <summary>The known name closest to <paramref name="name"/> (ignoring case), if it is only a typo away.</summary>
    public static string? Nearest(string name, IEnumerable<string> known) => known
        .Select(k => (Name: k, Distance: Distance(k.ToLowerInvariant(), name.ToLowerInvariant())))
        .Where(c => c.Distance <= Math.Max(1, Math.Min(2, name.Length / 3)))
        .OrderBy(c => c.Distance)
        .ThenBy(c => c.Name, StringComparer.Ordinal)
        .Select(c => c.Name)
        .FirstOrDefault();

    /// <summary>Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
