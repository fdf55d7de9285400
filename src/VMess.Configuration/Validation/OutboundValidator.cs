using VMess.Configuration.Json;
using VMess.Configuration.Options;

namespace VMess.Configuration.Validation;

/// <summary><c>outbounds[i]</c> → <see cref="OutboundOptions"/> (infra/conf/v2ray.go, freedom.go, blackhole.go, vmess.go).</summary>
internal static class OutboundValidator
{
    /// <summary>The protocols served here, by their V2Ray names.</summary>
    private static readonly string[] Supported = ["freedom", "blackhole", "vmess"];

    /// <summary>V2Ray 4.34's outbound protocols (infra/conf/v2ray.go, <c>outboundConfigLoader</c>) not here yet.</summary>
    private static readonly string[] Planned = ["http", "shadowsocks", "socks", "vless", "trojan", "mtproto", "dns"];

    private static readonly string[] DomainStrategies = ["AsIs", "UseIP", "UseIPv4", "UseIPv6"];

    public static OutboundOptions? Validate(OutboundJson json, string path, JsonBinder binder, ConfigIssueCollector issues)
    {
        StreamSettingsValidator.Validate(json.StreamSettings, JsonPath.Property(path, "streamSettings"), issues);
        var mux = MuxValidator.Validate(json.Mux, JsonPath.Property(path, "mux"), issues);

        if (mux is { Enabled: true } && !string.Equals(json.Protocol, "vmess", StringComparison.OrdinalIgnoreCase))
        {
            issues.Warning(JsonPath.Property(JsonPath.Property(path, "mux"), "enabled"), "only the vmess outbound multiplexes here: connections go without mux");
        }
        var tag = Checks.NullIfEmpty(json.Tag);
        var protocolPath = JsonPath.Property(path, "protocol");
        var settingsPath = JsonPath.Property(path, "settings");
        switch (json.Protocol?.ToLowerInvariant())
        {
            case null or "":
                issues.Missing(protocolPath, $"required: {Checks.OneOf(Supported)}");
                return null;
            case "freedom":
                var freedom = json.Settings is { } freedomJson
                    ? binder.Bind<FreedomSettingsJson>(freedomJson, settingsPath) is { } f ? ValidateFreedom(f, settingsPath, issues) : null
                    : FreedomSettings.Default;
                return freedom is null ? null : new OutboundOptions(tag, OutboundProtocol.Freedom, freedom, Blackhole: null, Mux: mux);
            case "blackhole":
                var blackhole = json.Settings is { } blackholeJson
                    ? binder.Bind<BlackholeSettingsJson>(blackholeJson, settingsPath) is { } b ? ValidateBlackhole(b, settingsPath, issues) : null
                    : BlackholeSettings.Default;
                return blackhole is null ? null : new OutboundOptions(tag, OutboundProtocol.Blackhole, Freedom: null, blackhole, Mux: mux);
            case "vmess":
                var vmess = binder.BindSettings<VMessOutboundSettingsJson>(json.Settings, settingsPath) is { } v
                    ? VMessOutboundValidator.Validate(v, settingsPath, issues)
                    : null;
                return vmess is null ? null : new OutboundOptions(tag, OutboundProtocol.VMess, Freedom: null, Blackhole: null, vmess, mux);
            case var name when Planned.Contains(name):
                issues.Error(protocolPath, $"protocol '{json.Protocol}' is not supported yet");
                return null;
            default:
                issues.Error(protocolPath, Checks.Unknown("protocol", json.Protocol, [.. Supported, .. Planned]));
                return null;
        }
    }

    private static FreedomSettings ValidateFreedom(FreedomSettingsJson json, string path, ConfigIssueCollector issues)
    {
        var strategy = ParseDomainStrategy(json.DomainStrategy, JsonPath.Property(path, "domainStrategy"), issues);
        var redirect = ParseRedirect(json.Redirect, JsonPath.Property(path, "redirect"), issues);
        var userLevel = (int)Checks.InRange(json.UserLevel, 0, int.MaxValue, 0, JsonPath.Property(path, "userLevel"), issues);
        return new FreedomSettings(strategy, redirect, userLevel);
    }

    /// <summary>V2Ray's spellings, ignoring case (infra/conf/freedom.go); V2Ray reads an unknown one as AsIs.</summary>
    private static FreedomDomainStrategy ParseDomainStrategy(string? text, string path, ConfigIssueCollector issues)
    {
        switch (text?.ToLowerInvariant())
        {
            case null or "" or "asis" or "as_is":
                return FreedomDomainStrategy.AsIs;
            case "useip" or "use_ip":
                return FreedomDomainStrategy.UseIP;
            case "useip4" or "useipv4" or "use_ipv4" or "use_ip_v4" or "use_ip4":
                return FreedomDomainStrategy.UseIPv4;
            case "useip6" or "useipv6" or "use_ipv6" or "use_ip_v6" or "use_ip6":
                return FreedomDomainStrategy.UseIPv6;
            default:
                issues.Error(path, Checks.Unknown("domainStrategy", text, DomainStrategies));
                return FreedomDomainStrategy.AsIs;
        }
    }

    /// <summary>"host:port", "[v6]:port" or ":port", split as Go's <c>net.SplitHostPort</c> does.</summary>
    private static FreedomRedirect? ParseRedirect(string? text, string path, ConfigIssueCollector issues)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        string host;
        string port;
        var colon = text.LastIndexOf(':');
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || colon != close + 1)
            {
                issues.Error(path, $"'{text}' is not 'host:port'");
                return null;
            }
            host = text[1..close];
            port = text[(colon + 1)..];
        }
        else if (colon < 0 || text.IndexOf(':', StringComparison.Ordinal) != colon)
        {
            issues.Error(path, $"'{text}' is not 'host:port' (an IPv6 host goes in brackets)");
            return null;
        }
        else
        {
            host = text[..colon];
            port = text[(colon + 1)..];
        }

        if (!Checks.TryParseDigits(port, out var portNumber) || portNumber > 65535)
        {
            issues.Error(path, $"'{port}' in '{text}' is not a port number (0..65535)");
            return null;
        }
        return new FreedomRedirect(Checks.NullIfEmpty(host), (int)portNumber);
    }

    private static BlackholeSettings ValidateBlackhole(BlackholeSettingsJson json, string path, ConfigIssueCollector issues)
    {
        if (json.Response is not { } response)
        {
            return BlackholeSettings.Default;
        }

        var typePath = JsonPath.Property(JsonPath.Property(path, "response"), "type");
        switch (response.Type?.ToLowerInvariant())
        {
            case null:
                // V2Ray refuses a response without a type ("type not found in JSON context").
                issues.Missing(typePath, "required: 'none' or 'http'");
                return BlackholeSettings.Default;
            case "none":
                return new BlackholeSettings(BlackholeResponseType.None);
            case "http":
                return new BlackholeSettings(BlackholeResponseType.Http);
            default:
                issues.Error(typePath, Checks.Unknown("response type", response.Type, ["none", "http"]));
                return BlackholeSettings.Default;
        }
    }
}
