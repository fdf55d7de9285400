using VMess.Configuration.Json;
using VMess.Configuration.Options;

namespace VMess.Configuration.Validation;

/// <summary><c>settings</c> of an http inbound → <see cref="HttpInboundSettings"/> (infra/conf/http.go).</summary>
internal static class HttpInboundValidator
{
    public static HttpInboundSettings Validate(HttpSettingsJson json, string path, ConfigIssueCollector issues)
    {
        var accounts = ProxyAccountsValidator.Validate(
            json.Accounts ?? [], JsonPath.Property(path, "accounts"), ProxyAccountScheme.HttpBasic, issues);
        var userLevel = Checks.Level(json.UserLevel, JsonPath.Property(path, "userLevel"), issues);
        var timeout = Checks.IdleTimeout(json.Timeout, userLevel, JsonPath.Property(path, "timeout"), issues);
        return new HttpInboundSettings(accounts, json.AllowTransparent ?? false, timeout, userLevel);
    }
}
