using System.Globalization;

namespace VMess.Api.Tests.Support;

/// <summary>
/// One Prometheus text exposition, read as the tests need it: the value of a series of this node (its <c>node</c>
/// label; other nodes' meters in this process are skipped) with the given labels.
/// </summary>
public sealed class PrometheusScrape(string text, string node)
{
    public string Text { get; } = text;

    /// <summary>The series' value, or null when this node reports no such series.</summary>
    public double? Value(string metric, params (string Name, string Value)[] labels)
    {
        var required = labels.Select(l => $"{l.Name}=\"{l.Value}\"").Append($"node=\"{node}\"").ToArray();
        foreach (var line in Text.Split('\n'))
        {
            if (!line.StartsWith(metric + "{", StringComparison.Ordinal)) continue;
            var close = line.LastIndexOf('}');
            var labelText = line[(metric.Length + 1)..close];
            if (!required.All(r => labelText.Contains(r, StringComparison.Ordinal))) continue;
            var value = line[(close + 1)..].Trim().Split(' ')[0];
            return double.Parse(value, CultureInfo.InvariantCulture);
        }
        return null;
    }
}
