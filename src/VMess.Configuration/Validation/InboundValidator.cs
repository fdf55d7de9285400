using System.Net;
using System.Text.Json;
using VMess.Configuration.Json;
using VMess.Configuration.Options;

namespace VMess.Configuration.Validation;

/// <summary><c>inbounds[i]</c> → <see cref="InboundOptions"/> (infra/conf/v2ray.go, <c>InboundDetourConfig</c>).</summary>
internal static class InboundValidator
{
    /// <summary>The protocols served here, by their V2Ray names.</summary>
    private static readonly string[] Supported = ["vmess", "socks", "http", "dokodemo-door"];

    /// <summary>V2Ray 4.34's inbound protocols (infra/conf/v2ray.go, <c>inboundConfigLoader</c>) not served here yet.</summary>
    private static readonly string[] Planned = ["shadowsocks", "vless", "trojan", "mtproto"];

    public static InboundOptions? Validate(
        InboundJson json, string path, IReadOnlyDictionary<string, string> inboundProtocols, JsonBinder binder, ConfigIssueCollector issues)
    {
        var listen = ParseListen(json.Listen, JsonPath.Property(path, "listen"), issues);
        var ports = ParsePort(json.Port, JsonPath.Property(path, "port"), issues);
        var allocate = AllocateValidator.Validate(json.Allocate, JsonPath.Property(path, "allocate"), ports, issues);
        StreamSettingsValidator.Validate(json.StreamSettings, JsonPath.Property(path, "streamSettings"), issues);

        var tag = Checks.NullIfEmpty(json.Tag);
        var protocolPath = JsonPath.Property(path, "protocol");
        var settingsPath = JsonPath.Property(path, "settings");
        switch (json.Protocol?.ToLowerInvariant())
        {
            case null or "":
                issues.Missing(protocolPath, $"required: {Checks.OneOf(Supported)}");
                return null;
            case "vmess":
                var vmess = binder.BindSettings<VMessSettingsJson>(json.Settings, settingsPath) is { } vmessJson
                    ? VMessInboundValidator.Validate(vmessJson, settingsPath, inboundProtocols, issues)
                    : null;
                return Complete(InboundProtocol.VMess, vmess: vmess);
            case "socks":
                var socks = binder.BindSettings<SocksSettingsJson>(json.Settings, settingsPath) is { } socksJson
                    ? SocksInboundValidator.Validate(socksJson, settingsPath, issues)
                    : null;
                return Complete(InboundProtocol.Socks, socks: socks);
            case "http":
                var http = binder.BindSettings<HttpSettingsJson>(json.Settings, settingsPath) is { } httpJson
                    ? HttpInboundValidator.Validate(httpJson, settingsPath, issues)
                    : null;
                return Complete(InboundProtocol.Http, http: http);
            case "dokodemo-door":
                var dokodemo = binder.BindSettings<DokodemoSettingsJson>(json.Settings, settingsPath) is { } dokodemoJson
                    ? DokodemoInboundValidator.Validate(dokodemoJson, settingsPath, issues)
                    : null;
                return Complete(InboundProtocol.DokodemoDoor, dokodemo: dokodemo);
            case var name when Planned.Contains(name):
                issues.Error(protocolPath, $"protocol '{json.Protocol}' is not supported yet");
                return null;
            default:
                issues.Error(protocolPath, Checks.Unknown("protocol", json.Protocol, [.. Supported, .. Planned]));
                return null;
        }

        // Exactly the settings of the protocol are set; an error anywhere leaves the inbound out.
        InboundOptions? Complete(
            InboundProtocol protocol,
            VMessInboundSettings? vmess = null,
            SocksInboundSettings? socks = null,
            HttpInboundSettings? http = null,
            DokodemoSettings? dokodemo = null) =>
            listen is null || ports is not { } range || allocate is null || (vmess, socks, http, dokodemo) is (null, null, null, null)
                ? null
                : new InboundOptions(tag, listen, range.First, protocol, vmess, socks, http, dokodemo)
                {
                    PortTo = range.IsSingle ? -1 : range.Last,
                    Allocate = allocate,
                };
    }

    /// <summary>
    /// The inbound that routing sends to the API (<paramref name="apiTag"/>) → where the API listens. V2Ray configures it as
    /// a dokodemo-door whose connections go to the gRPC server; here the server listens there itself, so its
    /// <c>settings</c> (a forwarding address V2Ray never dials) are not read.
    /// </summary>
    public static IPEndPoint? ValidateApiInbound(InboundJson json, string path, string apiTag, ConfigIssueCollector issues)
    {
        var listen = ParseListen(json.Listen, JsonPath.Property(path, "listen"), issues);
        var ports = ParsePort(json.Port, JsonPath.Property(path, "port"), issues);
        var valid = listen is not null && ports is not null;
        if (!string.Equals(json.Protocol, "dokodemo-door", StringComparison.OrdinalIgnoreCase))
        {
            issues.Error(JsonPath.Property(path, "protocol"),
                $"routing sends this inbound to the API ('{apiTag}'), so it must be a dokodemo-door inbound, as V2Ray configures the API's inbound");
            valid = false;
        }
        if (ports is { IsSingle: false } range)
        {
            issues.Error(JsonPath.Property(path, "port"), $"'{range}': the API listens on one port");
            valid = false;
        }
        return valid ? new IPEndPoint(listen!, ports!.Value.First) : null;
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
        if (Checks.TryParseIp(text, out var address))
        {
            return address;
        }
        issues.Error(path, $"'{text}' is not an IP address (domain names, 'localhost' included, are not supported)");
        return null;
    }

    private static PortRange? ParsePort(JsonElement? port, string path, ConfigIssueCollector issues)
    {
        switch (port)
        {
            case null:
                issues.Missing(path, "required: a port number");
                return null;
            case { ValueKind: JsonValueKind.Number } number:
                if (number.TryGetInt64(out var value) && value is >= 0 and <= 65535)
                {
                    return new PortRange((int)value, (int)value);
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

    /// <summary>"80" or "10000-10010", digits only, as V2Ray reads them (infra/conf/common.go, <c>parseStringPort</c>).</summary>
    private static PortRange? ParsePortText(string text, string path, ConfigIssueCollector issues)
    {
        if (text.StartsWith("env:", StringComparison.Ordinal))
        {
            // Reading the environment would make a config mean different things on different hosts, unseen here.
            issues.Error(path, "'env:' ports are not supported; write the port number");
            return null;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            if (TryParsePort(text, out var single))
            {
                return new PortRange(single, single);
            }
            issues.Error(path, $"'{text}' is not a port number (0..65535)");
            return null;
        }

        if (!TryParsePort(text[..dash], out var first) || !TryParsePort(text[(dash + 1)..], out var last))
        {
            issues.Error(path, $"'{text}' is not a port range such as '10000-10010' (ports 0..65535)");
            return null;
        }
        if (first > last)
        {
            issues.Error(path, $"'{text}' is not a port range: {first} is above {last}");
            return null;
        }
        if (first == 0 && last > 0)
        {
            issues.Error(path, $"'{text}': a range cannot start at 0, which asks the OS for one free port");
            return null;
        }
        return new PortRange(first, last);
    }

    private static bool TryParsePort(string text, out int port)
    {
        var ok = Checks.TryParseDigits(text, out var value) && value <= 65535;
        port = ok ? (int)value : 0;
        return ok;
    }
}
