using System.Globalization;

namespace VMess.Cluster.Host.Tests.Support;

/// <summary>What <c>vmess-cluster run</c> prints for its first user: the fields a person copies into a client.</summary>
internal sealed record PrintedConnection(string Address, int Port, string Id, int AlterId, string Security, string Link)
{
    public static PrintedConnection Parse(string stdout)
    {
        var fields = new Dictionary<string, string>();
        foreach (var line in stdout.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var key = line[..colon].Trim();
            if (key is "address" or "port" or "id" or "alterId" or "security" or "link") fields.TryAdd(key, line[(colon + 1)..].Trim());
        }
        string Field(string key) => fields.TryGetValue(key, out var value) ? value : throw new FormatException($"no '{key}:' line in:\n{stdout}");
        return new PrintedConnection(
            Field("address"),
            int.Parse(Field("port"), CultureInfo.InvariantCulture),
            Field("id"),
            int.Parse(Field("alterId"), CultureInfo.InvariantCulture),
            Field("security").Split(' ')[0],
            Field("link"));
    }
}
