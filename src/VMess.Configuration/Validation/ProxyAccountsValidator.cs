using System.Collections.Immutable;
using System.Text;
using VMess.Configuration.Json;
using VMess.Configuration.Options;

namespace VMess.Configuration.Validation;

/// <summary>
/// <c>settings.accounts</c> of a socks or http inbound → <see cref="ProxyAccount"/>s. V2Ray keeps them in a map from
/// user to password, so a repeated user silently keeps only its last password; here it is an error.
/// </summary>
internal static class ProxyAccountsValidator
{
    /// <summary>SOCKS5 sends each of user and password after a one-byte length (RFC 1929).</summary>
    private const int MaxSocksFieldBytes = 255;

    public static ImmutableArray<ProxyAccount> Validate(
        List<ProxyAccountJson?> accounts, string path, ProxyAccountScheme scheme, ConfigIssueCollector issues)
    {
        var result = ImmutableArray.CreateBuilder<ProxyAccount>(accounts.Count);
        var firstByUser = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < accounts.Count; i++)
        {
            if (accounts[i] is not { } account)
            {
                continue; // null entry: already reported by the binder.
            }

            var accountPath = JsonPath.Index(path, i);
            var userPath = JsonPath.Property(accountPath, "user");
            var pass = account.Pass ?? "";
            if (string.IsNullOrEmpty(account.User))
            {
                issues.Missing(userPath, "required: a user name");
                continue;
            }
            if (firstByUser.TryGetValue(account.User, out var first))
            {
                issues.Error(userPath, $"duplicate user: {JsonPath.Index(path, first)} has it too");
                continue;
            }
            firstByUser[account.User] = i;

            var valid = scheme switch
            {
                ProxyAccountScheme.Socks5 => FitsSocks5(account.User, userPath, issues)
                    & FitsSocks5(pass, JsonPath.Property(accountPath, "pass"), issues),
                _ => FitsBasicAuth(account.User, userPath, issues),
            };
            if (valid)
            {
                result.Add(new ProxyAccount(account.User, pass));
            }
        }
        return result.ToImmutable();
    }

    private static bool FitsSocks5(string text, string path, ConfigIssueCollector issues)
    {
        if (Encoding.UTF8.GetByteCount(text) <= MaxSocksFieldBytes)
        {
            return true;
        }
        issues.Error(path, $"longer than SOCKS5 allows ({MaxSocksFieldBytes} bytes in UTF-8)");
        return false;
    }

    /// <summary>Basic authentication sends "user:pass", so a user with a colon could never log in.</summary>
    private static bool FitsBasicAuth(string user, string path, ConfigIssueCollector issues)
    {
        if (!user.Contains(':', StringComparison.Ordinal))
        {
            return true;
        }
        issues.Error(path, "a user name cannot contain ':' (HTTP Basic authentication splits 'user:pass' at the first ':')");
        return false;
    }
}

/// <summary>How the inbound's clients send an account, which limits what an account may be.</summary>
internal enum ProxyAccountScheme
{
    Socks5,
    HttpBasic,
}
