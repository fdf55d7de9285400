using System.Text.Json;
using VMess.Configuration.Json;
using VMess.Configuration.Options;

namespace VMess.Configuration.Validation;

/// <summary><c>settings</c> of a dokodemo-door inbound → <see cref="DokodemoSettings"/> (infra/conf/dokodemo.go).</summary>
internal static class DokodemoInboundValidator
{
    private static readonly string[] Networks = ["tcp", "udp"];

    public static DokodemoSettings? Validate(DokodemoSettingsJson json, string path, ConfigIssueCollector issues)
    {
        // V2Ray lets both be absent and then needs the original destination, which only followRedirect gives.
        var address = Checks.Host(json.Address, JsonPath.Property(path, "address"), "required: the IP address or domain to forward to", issues);
        var port = ParsePort(json.Port, JsonPath.Property(path, "port"), issues);
        var network = ParseNetwork(json.Network, JsonPath.Property(path, "network"), issues);
        if (json.FollowRedirect == true)
        {
            issues.Error(JsonPath.Property(path, "followRedirect"), "not supported: this node does no transparent proxying");
        }
        var userLevel = Checks.Level(json.UserLevel, JsonPath.Property(path, "userLevel"), issues);
        var timeout = Checks.IdleTimeout(json.Timeout, userLevel, JsonPath.Property(path, "timeout"), issues);

        return address is null || port is null || network is null
            ? null
            : new DokodemoSettings(address, port.Value, network.Value, timeout, userLevel);
    }

    private static int? ParsePort(long? port, string path, ConfigIssueCollector issues)
    {
        switch (port)
        {
            case null:
                issues.Missing(path, "required: the port to forward to (1..65535)");
                return null;
            case >= 1 and <= 65535:
                return (int)port.Value;
            default:
                issues.Error(path, $"{port} is not a port number (1..65535)");
                return null;
        }
    }

    /// <summary>
    /// V2Ray's <c>NetworkList</c>: absent means tcp; an array of names, or one string of names separated by commas
    /// (split exactly there, so "tcp, udp" names " udp"). An empty list makes V2Ray fail ("no network specified").
    /// </summary>
    private static DokodemoNetwork? ParseNetwork(JsonElement? element, string path, ConfigIssueCollector issues)
    {
        var names = new List<(string Name, string Path)>();
        switch (element)
        {
            case null:
                return DokodemoNetwork.Tcp;
            case { ValueKind: JsonValueKind.String } text:
                names.AddRange(text.GetString()!.Split(',').Select(name => (name, path)));
                break;
            case { ValueKind: JsonValueKind.Array } array:
                var index = 0;
                foreach (var item in array.EnumerateArray())
                {
                    var itemPath = JsonPath.Index(path, index++);
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        names.Add((item.GetString()!, itemPath));
                    }
                    else
                    {
                        issues.Error(itemPath, $"expected a string, got {JsonBinder.Describe(item)}");
                    }
                }
                if (index == 0)
                {
                    issues.Error(path, "empty: give 'tcp', 'udp' or both");
                    return null;
                }
                break;
            case var other:
                issues.Error(path, $"expected \"tcp\", \"udp\", \"tcp,udp\" or an array of them, got {JsonBinder.Describe(other.Value)}");
                return null;
        }

        var network = (DokodemoNetwork)0;
        var valid = true;
        foreach (var (name, namePath) in names)
        {
            switch (name.ToLowerInvariant())
            {
                case "tcp":
                    network |= DokodemoNetwork.Tcp;
                    break;
                case "udp":
                    network |= DokodemoNetwork.Udp;
                    break;
                case "unix":
                    issues.Error(namePath, "network 'unix' is not supported (only 'tcp' and 'udp')");
                    valid = false;
                    break;
                default:
                    issues.Error(namePath, Checks.Unknown("network", name, Networks));
                    valid = false;
                    break;
            }
        }
        return valid && network != 0 ? network : null;
    }
}
