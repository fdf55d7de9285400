using System.Text.Json;
using VMess.Configuration.Json;

namespace VMess.Configuration.Validation;

/// <summary>
/// <c>streamSettings</c>: only plain TCP is supported, so anything that would change the bytes on the wire
/// (another network, TLS, an HTTP header, the PROXY protocol) is an error rather than something to ignore.
/// </summary>
internal static class StreamSettingsValidator
{
    /// <summary>V2Ray 4.34's names (infra/conf/transport_internet.go, <c>TransportProtocol.Build</c>).</summary>
    private static readonly string[] V2RayNetworks = ["tcp", "kcp", "mkcp", "ws", "websocket", "h2", "http", "ds", "domainsocket", "quic"];

    public static void Validate(StreamSettingsJson? json, string path, ConfigIssueCollector issues)
    {
        if (json is null)
        {
            return;
        }

        var network = json.Network?.ToLowerInvariant();
        if (network is not (null or "" or "tcp"))
        {
            issues.Error(JsonPath.Property(path, "network"), V2RayNetworks.Contains(network)
                ? $"network '{json.Network}' is not supported yet (only 'tcp')"
                : Checks.Unknown("network", json.Network!, ["tcp"]));
        }

        var security = json.Security?.ToLowerInvariant();
        if (security is not (null or "" or "none"))
        {
            // V2Ray treats every value but "tls" as no security; an unknown one is reported here instead.
            issues.Error(JsonPath.Property(path, "security"), security == "tls"
                ? "security 'tls' is not supported yet (only 'none')"
                : Checks.Unknown("security", json.Security!, ["none"]));
        }

        if (json.TcpSettings is { } tcp)
        {
            ValidateTcp(tcp, JsonPath.Property(path, "tcpSettings"), issues);
        }
    }

    private static void ValidateTcp(TcpSettingsJson tcp, string path, ConfigIssueCollector issues)
    {
        if (tcp.AcceptProxyProtocol == true)
        {
            issues.Error(JsonPath.Property(path, "acceptProxyProtocol"), "the PROXY protocol is not supported yet");
        }
        if (tcp.Header is not { } header)
        {
            return;
        }

        var headerPath = JsonPath.Property(path, "header");
        if (header.ValueKind != JsonValueKind.Object)
        {
            issues.Error(headerPath, $"expected an object, got {JsonBinder.Describe(header)}");
            return;
        }
        if (!header.TryGetProperty("type", out var type) || type.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        var typePath = JsonPath.Property(headerPath, "type");
        if (type.ValueKind != JsonValueKind.String)
        {
            issues.Error(typePath, $"expected a string, got {JsonBinder.Describe(type)}");
        }
        else if (type.GetString()!.ToLowerInvariant() is not ("" or "none"))
        {
            issues.Error(typePath, type.GetString()!.Equals("http", StringComparison.OrdinalIgnoreCase)
                ? "HTTP header obfuscation is not supported yet (only 'none')"
                : Checks.Unknown("header type", type.GetString()!, ["none"]));
        }
    }
}
