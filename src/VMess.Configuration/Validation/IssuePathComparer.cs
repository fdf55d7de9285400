using System.Text.RegularExpressions;

namespace VMess.Configuration.Validation;

/// <summary>
/// Orders issues so that those of one object come together: path segments compare one by one, names by ordinal
/// and array indices by number (<c>inbounds[2]</c> before <c>inbounds[10]</c>). A path is a prefix of its children.
/// </summary>
internal sealed partial class IssuePathComparer : IComparer<string>
{
    public static IssuePathComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        var a = Segments().Matches(x ?? "");
        var b = Segments().Matches(y ?? "");
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            var order = CompareSegment(a[i], b[i]);
            if (order != 0)
            {
                return order;
            }
        }
        return a.Count.CompareTo(b.Count);
    }

    private static int CompareSegment(Match a, Match b)
    {
        var aIndex = a.Groups["index"];
        var bIndex = b.Groups["index"];
        if (aIndex.Success && bIndex.Success)
        {
            return int.Parse(aIndex.ValueSpan).CompareTo(int.Parse(bIndex.ValueSpan));
        }
        return string.CompareOrdinal(a.Value, b.Value);
    }

    [GeneratedRegex("""\[(?<index>\d+)\]|\["(?:[^"\\]|\\.)*"\]|[^.\[]+""")]
    private static partial Regex Segments();
}
