using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using VMess.Protocol.Auth;
using VMess.Protocol.Ids;

namespace VMess.Protocol.Legacy;

/// <summary>
/// The O(1) legacy lookup: every HMAC-MD5 auth hash of every id (primary and alter ids) of every user with
/// alterId &gt; 0, for each second of the window. Users with alterId 0 get no entries (V2Ray spends ~40 KiB on
/// each). <see cref="Refresh"/> extends the window as time moves and drops expired seconds.
/// </summary>
public sealed class LegacyAuthTable
{
    /// <summary>Seconds generated ahead of "now", so the table stays valid between refreshes.</summary>
    public const int LookaheadSeconds = 60;

    private readonly ConcurrentDictionary<UInt128, LegacyAuthEntry> _entries = new();
    private readonly ConcurrentDictionary<VMessUserId, (UserKeys User, long GeneratedUntil)> _users = new();
    private readonly object _writeGate = new();

    public int EntryCount => _entries.Count;

    public void Add(UserKeys user, long now)
    {
        if (user.Account.AlterId == 0) return;
        lock (_writeGate)
        {
            _users[user.Account.Id] = (user, now - TimeWindow.Seconds - 1);
            Generate(user, now - TimeWindow.Seconds, now + TimeWindow.Seconds + LookaheadSeconds);
            _users[user.Account.Id] = (user, now + TimeWindow.Seconds + LookaheadSeconds);
        }
    }

    public void Remove(VMessUserId id)
    {
        lock (_writeGate)
        {
            if (!_users.TryRemove(id, out _)) return;
            foreach (var (hash, entry) in _entries)
            {
                if (entry.User.Account.Id == id) _entries.TryRemove(hash, out _);
            }
        }
    }

    /// <summary>Generates the seconds up to now + 120 + lookahead and drops those older than now − 120.</summary>
    public void Refresh(long now)
    {
        lock (_writeGate)
        {
            var until = now + TimeWindow.Seconds + LookaheadSeconds;
            foreach (var (id, (user, generatedUntil)) in _users)
            {
                if (generatedUntil >= until) continue;
                Generate(user, Math.Max(generatedUntil + 1, now - TimeWindow.Seconds), until);
                _users[id] = (user, until);
            }
            foreach (var (hash, entry) in _entries)
            {
                if (entry.Timestamp < now - TimeWindow.Seconds) _entries.TryRemove(hash, out _);
            }
        }
    }

    public LegacyAuthEntry? Find(ReadOnlySpan<byte> authHash) =>
        _entries.TryGetValue(BinaryPrimitives.ReadUInt128BigEndian(authHash), out var entry) ? entry : null;

    private void Generate(UserKeys user, long from, long until)
    {
        var ids = new VMessUserId[user.Account.AlterId + 1];
        ids[0] = user.Account.Id;
        AlterIdChain.Derive(user.Account.Id, user.Account.AlterId).CopyTo(ids, 1);
        Span<byte> key = stackalloc byte[VMessUserId.Size];
        Span<byte> message = stackalloc byte[8];
        Span<byte> hash = stackalloc byte[16];
        foreach (var id in ids)
        {
            id.WriteBytes(key);
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.MD5, key);
            for (var ts = from; ts <= until; ts++)
            {
                BinaryPrimitives.WriteInt64BigEndian(message, ts);
                hmac.AppendData(message);
                hmac.GetHashAndReset(hash);
                _entries[BinaryPrimitives.ReadUInt128BigEndian(hash)] = new LegacyAuthEntry(user, ts);
            }
        }
    }
}
