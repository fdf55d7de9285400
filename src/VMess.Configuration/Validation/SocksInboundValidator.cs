using System.Net;
using VMess.Configuration.Json;
using VMess.Configuration.Options;

namespace VMess.Configuration.Validation;

/// <summary><c>settings</c> of a socks inbound → <see cref="SocksInboundSettings"/> (infra/conf/socks.go).</summary>
internal static class SocksInboundValidator
{
    private static readonly string[] AuthMethods = ["noauth", "password"];

    public static SocksInboundSettings Validate(SocksSettingsJson json, string path, ConfigIssueCollector issues)
    {
        var auth = ParseAuth(json.Auth, JsonPath.Property(path, "auth"), issues);
        var accountsPath = JsonPath.Property(path, "accounts");
        var accounts = ProxyAccountsValidator.Validate(json.Accounts ?? [], accountsPath, ProxyAccountScheme.Socks5, issues);
        var hasAccounts = json.Accounts is { Count: > 0 };
        if (auth == SocksAuth.Password && !hasAccounts)
        {
            issues.Missing(accountsPath, "required: at least one { \"user\", \"pass\" } when auth is 'password'");
        }
        else if (auth == SocksAuth.NoAuth && hasAccounts)
        {
            issues.Warning(accountsPath, "ignored: auth is 'noauth', so anyone may connect (set \"auth\": \"password\" to use the accounts)");
            accounts = [];
        }

        var udp = json.Udp ?? false;
        var ipPath = JsonPath.Property(path, "ip");
        var ip = ParseIp(json.Ip, ipPath, issues);
        if (ip is not null && !udp)
        {
            issues.Warning(ipPath, "has no effect: it is announced only in UDP ASSOCIATE replies, and udp is off");
        }

        return new SocksInboundSettings(auth, accounts, udp, ip, Checks.Level(json.UserLevel, JsonPath.Property(path, "userLevel"), issues));
    }

    /// <summary>V2Ray compares the name exactly and reads anything else as noauth; here anything else is an error.</summary>
    private static SocksAuth ParseAuth(string? text, string path, ConfigIssueCollector issues)
    {
        switch (text)
        {
            case null or "" or "noauth":
                return SocksAuth.NoAuth;
            case "password":
                return SocksAuth.Password;
            default:
                issues.Error(path, Checks.Unknown("auth", text, AuthMethods));
                return SocksAuth.NoAuth;
        }
    }

    /// <summary>
    /// Absent: V2Ray answers UDP ASSOCIATE with the client's own address when the client is on loopback, else with the
    /// address the connection came in on (proxy/socks/protocol.go). V2Ray also takes a domain here; this node does not.
    /// </summary>
    private static IPAddress? ParseIp(string? text, string path, ConfigIssueCollector issues)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (Checks.TryParseIp(text, out var ip))
        {
            return ip;
        }
        issues.Error(path, $"'{text}' is not an IP address");
        return null;
    }
}
