using System.Collections.Immutable;
using VMess.Configuration.Json;
using VMess.Configuration.Options;
using VMess.Protocol.Headers;

namespace VMess.Configuration.Validation;

/// <summary>
/// <c>settings</c> of a vmess outbound → <see cref="VMessOutboundSettings"/> (infra/conf/vmess.go,
/// <c>VMessOutboundConfig</c>). V2Ray refuses no servers, a server without users or without an address; here a
/// port outside 1..65535, a bad id and an unknown security are errors too.
/// </summary>
internal static class VMessOutboundValidator
{
    private static readonly string[] Securities = ["auto", "aes-128-gcm", "chacha20-poly1305", "none"];

    public static VMessOutboundSettings? Validate(VMessOutboundSettingsJson json, string path, ConfigIssueCollector issues)
    {
        var vnextPath = JsonPath.Property(path, "vnext");
        var vnext = json.Vnext ?? [];
        if (vnext.Count == 0)
        {
            issues.Missing(vnextPath, "required: at least one server { \"address\", \"port\", \"users\" }");
            return null;
        }

        var servers = ImmutableArray.CreateBuilder<VMessServer>(vnext.Count);
        var valid = true;
        for (var i = 0; i < vnext.Count; i++)
        {
            if (vnext[i] is not { } server)
            {
                valid = false; // null entry: already reported by the binder.
                continue;
            }
            if (ValidateServer(server, JsonPath.Index(vnextPath, i), issues) is { } options)
            {
                servers.Add(options);
            }
            else
            {
                valid = false;
            }
        }
        return valid ? new VMessOutboundSettings(servers.ToImmutable()) : null;
    }

    private static VMessServer? ValidateServer(VMessServerJson json, string path, ConfigIssueCollector issues)
    {
        var address = Checks.Host(json.Address, JsonPath.Property(path, "address"), "required: the server's IP address or domain", issues);

        var portPath = JsonPath.Property(path, "port");
        int? port = json.Port switch
        {
            null => null,
            >= 1 and <= 65535 => (int)json.Port.Value,
            _ => null,
        };
        if (json.Port is null)
        {
            issues.Missing(portPath, "required: the server's port (1..65535)");
        }
        else if (port is null)
        {
            issues.Error(portPath, $"{json.Port} is not a port number (1..65535)");
        }

        var usersPath = JsonPath.Property(path, "users");
        var users = json.Users ?? [];
        if (users.Count == 0)
        {
            issues.Missing(usersPath, "required: at least one user { \"id\" }");
        }
        var valid = users.Count > 0;
        var result = ImmutableArray.CreateBuilder<VMessOutboundUser>(users.Count);
        for (var i = 0; i < users.Count; i++)
        {
            if (users[i] is { } user && ValidateUser(user, JsonPath.Index(usersPath, i), issues) is { } options)
            {
                result.Add(options);
            }
            else
            {
                valid = false;
            }
        }

        return address is null || port is null || !valid ? null : new VMessServer(address, port.Value, result.ToImmutable());
    }

    private static VMessOutboundUser? ValidateUser(ClientJson json, string path, ConfigIssueCollector issues)
    {
        var id = VMessInboundValidator.ParseId(json.Id, JsonPath.Property(path, "id"), issues);
        var alterId = (ushort)Checks.InRange(json.AlterId, 0, ushort.MaxValue, 0, JsonPath.Property(path, "alterId"), issues);
        var level = Checks.Level(json.Level, JsonPath.Property(path, "level"), issues);
        var security = ParseSecurity(json.Security, JsonPath.Property(path, "security"), issues);
        return id is null || security is null
            ? null
            : new VMessOutboundUser(id.Value, alterId, security.Value, level, Checks.NullIfEmpty(json.Email));
    }

    /// <summary>
    /// Absent or "" is auto, as in V2Ray. V2Ray 4.34 reads every other name it does not know as auto too, the old
    /// "aes-128-cfb" included; that one is read as auto here with a warning, and any other unknown name is an error.
    /// </summary>
    private static SecurityType? ParseSecurity(string? text, string path, ConfigIssueCollector issues)
    {
        if (!SecurityTypeExtensions.TryParseConfigName(text, out var security))
        {
            issues.Error(path, Checks.Unknown("security", text!, Securities));
            return null;
        }
        if (security == SecurityType.Legacy)
        {
            issues.Warning(path, $"read as 'auto', as V2Ray 4.34 reads it: '{text}' is no longer a body security; write 'auto'");
            return SecurityType.Auto;
        }
        return security;
    }
}
