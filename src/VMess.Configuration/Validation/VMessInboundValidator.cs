using System.Collections.Immutable;
using VMess.Configuration.Json;
using VMess.Configuration.Options;
using VMess.Protocol.Auth;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;

namespace VMess.Configuration.Validation;

/// <summary>
/// <c>settings</c> of a vmess inbound → <see cref="VMessInboundSettings"/> (infra/conf/vmess.go). The detour target
/// must be a vmess inbound, looked up in the inbounds' protocols by tag that <see cref="NodeValidator"/> gathers.
/// </summary>
internal static class VMessInboundValidator
{
    private static readonly string[] Securities = ["auto", "aes-128-gcm", "chacha20-poly1305", "none"];

    public static VMessInboundSettings Validate(
        VMessSettingsJson json, string path, IReadOnlyDictionary<string, string> inboundProtocols, ConfigIssueCollector issues)
    {
        var clients = ValidateClients(json.Clients ?? [], JsonPath.Property(path, "clients"), issues);

        var defaultUser = VMessDefaultUser.Default;
        if (json.Default is { } d)
        {
            var defaultPath = JsonPath.Property(path, "default");
            defaultUser = new VMessDefaultUser(
                (byte)Checks.InRange(d.Level, 0, byte.MaxValue, 0, JsonPath.Property(defaultPath, "level"), issues),
                (ushort)Checks.InRange(d.AlterId, 0, ushort.MaxValue, 0, JsonPath.Property(defaultPath, "alterId"), issues));
        }

        return new VMessInboundSettings(
            clients,
            defaultUser,
            ValidateDetour(json, path, inboundProtocols, issues),
            json.DisableInsecureEncryption ?? false);
    }

    private static ImmutableArray<VMessAccount> ValidateClients(
        List<ClientJson?> clients, string path, ConfigIssueCollector issues)
    {
        var accounts = ImmutableArray.CreateBuilder<VMessAccount>(clients.Count);
        var firstById = new Dictionary<VMessUserId, int>();
        // V2Ray keys users by lower-cased email (proxy/vmess/inbound/inbound.go, userByEmail).
        var firstByEmail = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < clients.Count; i++)
        {
            if (clients[i] is not { } client)
            {
                continue; // null entry: already reported by the binder.
            }

            var clientPath = JsonPath.Index(path, i);
            var id = ParseId(client.Id, JsonPath.Property(clientPath, "id"), issues);
            var level = (byte)Checks.InRange(client.Level, 0, byte.MaxValue, 0, JsonPath.Property(clientPath, "level"), issues);
            var alterId = (ushort)Checks.InRange(client.AlterId, 0, ushort.MaxValue, 0, JsonPath.Property(clientPath, "alterId"), issues);
            var email = Checks.NullIfEmpty(client.Email);
            if (!SecurityTypeExtensions.TryParseConfigName(client.Security, out _))
            {
                issues.Error(JsonPath.Property(clientPath, "security"), Checks.Unknown("security", client.Security!, Securities));
            }

            if (id is { } userId)
            {
                if (firstById.TryGetValue(userId, out var first))
                {
                    issues.Error(JsonPath.Property(clientPath, "id"), $"duplicate id: {JsonPath.Index(path, first)} has it too");
                }
                else
                {
                    firstById[userId] = i;
                }
                accounts.Add(new VMessAccount(userId, alterId, level, email));
            }
            if (email is not null)
            {
                if (firstByEmail.TryGetValue(email, out var first))
                {
                    issues.Error(JsonPath.Property(clientPath, "email"), $"duplicate email: {JsonPath.Index(path, first)} has it too (ignoring case)");
                }
                else
                {
                    firstByEmail[email] = i;
                }
            }
        }
        return accounts.ToImmutable();
    }

    internal static VMessUserId? ParseId(string? text, string path, ConfigIssueCollector issues)
    {
        if (string.IsNullOrEmpty(text))
        {
            issues.Missing(path, "required: a UUID such as 27848739-7e62-4138-9fd3-098a63964b6b");
            return null;
        }
        if (!VMessUserId.TryParse(text, out var id))
        {
            issues.Error(path, $"'{text}' is not a UUID in the 36-character form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
            return null;
        }
        return id;
    }

    private static string? ValidateDetour(
        VMessSettingsJson json, string path, IReadOnlyDictionary<string, string> inboundProtocols, ConfigIssueCollector issues)
    {
        var detour = json.Detour;
        var detourPath = JsonPath.Property(path, "detour");
        if (json.Features is { } features)
        {
            var featuresPath = JsonPath.Property(path, "features");
            if (detour is null && features.Detour is not null)
            {
                // V2Ray reads features.detour only when detour is absent.
                issues.Warning(featuresPath, "deprecated: move 'detour' out of 'features'");
                detour = features.Detour;
                detourPath = JsonPath.Property(featuresPath, "detour");
            }
            else if (features.Detour is not null)
            {
                issues.Warning(featuresPath, "ignored: 'detour' takes precedence over 'features.detour'");
            }
        }
        if (detour is null)
        {
            return null;
        }

        var toPath = JsonPath.Property(detourPath, "to");
        if (string.IsNullOrEmpty(detour.To))
        {
            issues.Missing(toPath, "required: the tag of another inbound");
            return null;
        }
        if (!inboundProtocols.TryGetValue(detour.To, out var protocol))
        {
            issues.Error(toPath, $"no inbound has the tag '{detour.To}'");
        }
        else if (protocol is not ("vmess" or ""))
        {
            // V2Ray loads this, then never sends the switch command: only a vmess inbound can take the users over.
            issues.Error(toPath, $"'{detour.To}' is a {protocol} inbound; a detour must name a vmess inbound");
        }
        return detour.To;
    }
}
