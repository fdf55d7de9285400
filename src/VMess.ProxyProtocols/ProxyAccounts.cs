using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace VMess.ProxyProtocols;

/// <summary>
/// The user names and passwords a socks or http inbound accepts (V2Ray's <c>accounts</c>; a repeated user keeps
/// the last password, as V2Ray's map does).
/// </summary>
public sealed class ProxyAccounts
{
    private readonly FrozenDictionary<string, byte[]> _passwords;

    public ProxyAccounts(IEnumerable<(string User, string Password)> accounts)
    {
        var passwords = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (user, password) in accounts) passwords[user] = Encoding.UTF8.GetBytes(password);
        _passwords = passwords.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static ProxyAccounts None { get; } = new([]);

    public int Count => _passwords.Count;

    public bool IsEmpty => _passwords.Count == 0;

    /// <summary>True when <paramref name="user"/> exists and has this password (compared in constant time).</summary>
    public bool Accepts(string user, ReadOnlySpan<byte> password) =>
        _passwords.TryGetValue(user, out var expected) && CryptographicOperations.FixedTimeEquals(expected, password);

    public bool Accepts(string user, string password) => Accepts(user, Encoding.UTF8.GetBytes(password));
}
