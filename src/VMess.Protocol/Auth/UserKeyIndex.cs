using System.Buffers.Binary;
using System.IO.Hashing;
using VMess.Protocol.Crypto;
using VMess.Protocol.Ids;
using VMess.Protocol.Legacy;

namespace VMess.Protocol.Auth;

/// <summary>
/// The user index: an immutable array of pre-keyed users swapped atomically on change (readers never lock), and the
/// legacy table for users with alterId &gt; 0. Writers (user changes, <see cref="Refresh"/>) are serialised.
/// </summary>
public sealed class UserKeyIndex : IUserKeyIndex
{
    /// <summary>Clock skew beyond this is reported as an unknown user, like any random bytes.</summary>
    public const long MaxReportedSkewSeconds = 366L * 24 * 3600;

    private readonly LegacyAuthTable _legacy = new();
    private readonly object _writeGate = new();
    private UserKeys[] _users = [];

    public int Count => Volatile.Read(ref _users).Length;

    public LegacyAuthTable Legacy => _legacy;

    public IReadOnlyList<VMessAccount> Accounts => Array.ConvertAll(Volatile.Read(ref _users), u => u.Account);

    /// <summary>Makes the index hold exactly these accounts, keeping the derived keys of unchanged ones.</summary>
    public void Replace(IEnumerable<VMessAccount> accounts, long now)
    {
        lock (_writeGate)
        {
            var current = Volatile.Read(ref _users).ToDictionary(u => u.Account.Id);
            var next = new Dictionary<VMessUserId, UserKeys>();
            foreach (var account in accounts)
            {
                next[account.Id] = current.TryGetValue(account.Id, out var keys) && keys.Account == account ? keys : new UserKeys(account);
            }
            foreach (var (id, keys) in current)
            {
                if (!next.TryGetValue(id, out var kept) || !ReferenceEquals(kept, keys)) _legacy.Remove(id);
            }
            foreach (var keys in next.Values)
            {
                if (!current.TryGetValue(keys.Account.Id, out var old) || !ReferenceEquals(old, keys)) _legacy.Add(keys, now);
            }
            Volatile.Write(ref _users, next.Values.ToArray());
        }
    }

    public void Add(VMessAccount account, long now)
    {
        lock (_writeGate)
        {
            var users = Volatile.Read(ref _users);
            Replace(users.Select(u => u.Account).Where(a => a.Id != account.Id).Append(account), now);
        }
    }

    public bool Remove(VMessUserId id)
    {
        lock (_writeGate)
        {
            var users = Volatile.Read(ref _users);
            if (!users.Any(u => u.Account.Id == id)) return false;
            _legacy.Remove(id);
            Volatile.Write(ref _users, users.Where(u => u.Account.Id != id).ToArray());
            return true;
        }
    }

    /// <summary>Moves the legacy window to <paramref name="now"/>; call every few seconds (V2Ray: every 10 s).</summary>
    public void Refresh(long now) => _legacy.Refresh(now);

    public AuthMatch MatchAead(ReadOnlySpan<byte> authId, long now)
    {
        var users = Volatile.Read(ref _users);
        Span<byte> plain = stackalloc byte[AuthId.Size];
        AuthMatch skewed = new(null, 0, DecodeError.UnknownUser);
        // Hot loop: one pre-keyed AES block per user, in one pass. A wrong key yields a random timestamp, so the CRC
        // is computed only for plausible ones: within the window (a match) or within a year (a clock-skew report).
        foreach (var user in users)
        {
            user.AuthIdCipher.Decrypt(authId, plain);
            var timestamp = BinaryPrimitives.ReadInt64BigEndian(plain);
            var skew = timestamp - now;
            if (skew is < -MaxReportedSkewSeconds or > MaxReportedSkewSeconds || !HasValidCrc(plain)) continue;
            if (TimeWindow.Contains(timestamp, now)) return new AuthMatch(user, timestamp, DecodeError.None);
            skewed = new AuthMatch(user, timestamp, DecodeError.ClockSkew, skew);
        }
        return skewed;
    }

    public LegacyAuthEntry? FindLegacy(ReadOnlySpan<byte> authHash) => _legacy.Find(authHash);

    private static bool HasValidCrc(ReadOnlySpan<byte> plain) =>
        BinaryPrimitives.ReadUInt32BigEndian(plain[12..]) == Crc32.HashToUInt32(plain[..12]);
}
