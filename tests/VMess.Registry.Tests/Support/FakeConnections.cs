using System.Collections.Concurrent;
using VMess.Registry.Online;

namespace VMess.Registry.Tests.Support;

/// <summary>A node's live connections as the test sets them: each <see cref="Set"/> or <see cref="Clear"/> marks the user changed.</summary>
internal sealed class FakeConnections : ILocalConnections
{
    private readonly ConcurrentDictionary<string, OnlineUser> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _changed = new(StringComparer.Ordinal);

    public void Set(string email, params (string Ip, int Count)[] sourceIps)
    {
        var user = new OnlineUser(email, sourceIps.Sum(s => s.Count), sourceIps.ToDictionary(s => s.Ip, s => s.Count));
        _users[email.ToLowerInvariant()] = user;
        _changed[email.ToLowerInvariant()] = 0;
    }

    public void Clear(string email)
    {
        _users.TryRemove(email.ToLowerInvariant(), out _);
        _changed[email.ToLowerInvariant()] = 0;
    }

    public IReadOnlyCollection<string> TakeChangedUsers()
    {
        var keys = new List<string>();
        foreach (var (key, _) in _changed)
        {
            if (_changed.TryRemove(key, out _)) keys.Add(key);
        }
        return keys;
    }

    public OnlineUser? Describe(string userKey) => _users.GetValueOrDefault(userKey);
}
