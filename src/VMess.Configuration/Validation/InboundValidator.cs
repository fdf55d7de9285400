using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using VMess.Configuration.Json;
using VMess.Configuration.Options;

namespace VMess.Configuration.Validation;

/// <summary><c>inbounds[i]</c> → <see cref="InboundOptions"/> (infra/conf/v2ray.go, <c>InboundDetourConfig</c>).</summary>
internal static class InboundValidator
{
    /// <summary>V2Ray 4.34's inbound protocols (infra/conf/v2ray.go, <c>inboundConfigLoader</c>) not served here yet.</summary>
    private static readonly string[] Planned = ["dokodemo-door", "http", "shadowsocks", "socks", "vless", "trojan", "mtproto"];

    public static InboundOptions? Validate(
        InboundJson json, string path, IReadOnlySet<string> inboundTags, JsonBinder binder, ConfigIssueCollector issues)
    {
        var listen = ParseListen(json.Listen, JsonPath.Property(path, "listen"), issues);
        var port = ParsePort(json.Port, JsonPath.Property(path, "port"), issues);
        StreamSettingsValidator.Validate(json.StreamSettings, JsonPath.Property(path, "streamSettings"), issues);

        var protocolPath = JsonPath.Property(path, "protocol");
        switch (json.Protocol?.ToLowerInvariant())
        {
            case null or "":
                issues.Missing(protocolPath, "required: 'vmess'");
                return null;
            case "vmess":
                var settingsPath = JsonPath.Property(path, "settings");
                // V2Ray reads an absent settings object as {}.
                var settings = json.Settings is { } raw ? binder.Bind<VMessSettingsJson>(raw, settingsPath) : new VMessSettingsJson();
                var vmess = settings is null ? null : VMessInboundValidator.Validate(settings, settingsPath, inboundTags, issues);
                return vmess is null || listen is null || port is null
                    ? null
                    : new InboundOptions(Checks.NullIfEmpty(json.Tag), listen, port.Value, InboundProtocol.VMess, vmess);
            case var name when Planned.Contains(name):
                issues.Error(protocolPath, $"protocol '{json.Protocol}' is not supported yet");
                return null;
            default:
                issues.Error(protocolPath, Checks.Unknown("protocol", json.Protocol, ["vmess", .. Planned]));
                return null;
        }
    }

    private static IPAddress? ParseListen(string? text, string path, ConfigIssueCollector issues)
    {
        if (string.IsNullOrEmpty(text))
        {
            return IPAddress.Any; // V2Ray listens on every address when "listen" is absent.
        }
        if (text[0] is '/' or '@')
        {
            issues.Error(path, "Unix domain sockets are not supported; give an IP address");
            return null;
        }
        // IPAddress.TryParse also takes forms such as "1" or "127.1"; V2Ray's net.ParseIP does not.
        var looksLikeIp = text.Contains(':', StringComparison.Ordinal) || text.Count(c => c == '.') == 3;
        if (looksLikeIp && IPAddress.TryParse(text, out var address)
            && address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
        {
            return address;
        }
        issues.Error(path, $"'{text}' is not an IP address (domain names, 'localhost' included, are not supported)");
        return null;
    }

    private static int? ParsePort(JsonElement? port, string path, ConfigIssueCollector issues)
    {
        switch (port)
        {
            case null:
                issues.Missing(path, "required: a port number");
                return null;
            case { ValueKind: JsonValueKind.Number } number:
                if (number.TryGetInt64(out var value) && value is >= 0 and <= 65535)
                {
                    return (int)value;
                }
                issues.Error(path, $"{number.GetRawText()} is not a port number (0..65535)");
                return null;
            case { ValueKind: JsonValueKind.String } text:
                return ParsePortText(text.GetString()!, path, issues);
            case var other:
                issues.Error(path, $"expected a port number, got {JsonBinder.Describe(other.Value)}");
                return null;
        }
    }

    private static int? ParsePortText(string text, string path, ConfigIssueCollector issues)
    {
        if (text.StartsWith("env:", StringComparison.Ordinal))
        {
            issues.Error(path, "'env:' ports are not supported; write the port number");
            return null;
        }
        if (text.Contains('-', StringComparison.Ordinal))
        {
            issues.Error(path, $"port ranges ('{text}') are not supported; give a single port");
            return null;
        }
        if (Checks.TryParseDigits(text, out var value) && value <= 65535)
        {
            return (int)value;
        }
        issues.Error(path, $"'{text}' is not a port number (0..65535)");
        return null;
    }
}
