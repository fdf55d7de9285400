using System.Collections.Concurrent;
using System.Net;
using Akka.Event;
using VMess.Protocol.Auth;
using VMess.Protocol.Ids;
using VMess.Registry;
using VMess.Registry.Messages;
using VMess.Registry.ReadModel;
using VMess.Registry.Online;

namespace VMess.Relay.Online;

/// <summary>
/// This node's live connections of registry users, by user: registered by a connection's actor when its handshake
/// authenticates (a Mux.Cool connection once, whatever it carries), unregistered when the actor stops. It closes the
/// connections of users the node no longer serves (<see cref="CloseUnserved"/>, called after each directory
/// publication), the connections over a user's cluster-wide connection or source-IP limit (weighed against the other
/// members' connections, <see cref="WatchCluster"/>, by <see cref="ConnectionLimitPolicy"/>: at registration, on each
/// directory and on each change of the others), and tells the online publisher which users changed
/// (<see cref="ILocalConnections"/>). Lock-free across users; a user's own connections are guarded by a lock of their
/// own. Nothing here waits on the cluster.
/// </summary>
public sealed class LiveConnections : ILocalConnections
{
    private static readonly IReadOnlyDictionary<string, UserLimits> NoLimits = new Dictionary<string, UserLimits>();

    private readonly ConcurrentDictionary<string, UserConnections> _byUser = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _changed = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter? _log;
    private ServedUsers? _served;
    private IReadOnlyDictionary<string, UserLimits> _limits = NoLimits;
    private IClusterConnections? _cluster;
    private int _count;
    private long _lastSequence;

    public LiveConnections(ILoggingAdapter? log = null) => _log = log;

    /// <summary>Connections registered now, over every user.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The user's connections registered now.</summary>
    public int CountOf(string userKey) => _byUser.TryGetValue(userKey, out var user) ? user.Count : 0;

    /// <summary>
    /// Registers an authenticated connection; <paramref name="close"/> must only hand the reason to the connection's
    /// control plane (a message), since it may be called on any thread. If the last publication no longer serves the
    /// account (the handshake matched it just before the swap), the connection is closed at once.
    /// </summary>
    public LiveConnection Register(VMessAccount account, IPAddress? source, Action<string> close)
    {
        if (source is { IsIPv4MappedToIPv6: true }) source = source.MapToIPv4();
        var connection = new LiveConnection(this, Interlocked.Increment(ref _lastSequence), UserKey.For(account.Id, account.Email), account, source, close);
        while (true)
        {
            var user = _byUser.GetOrAdd(connection.UserKey, static _ => new UserConnections());
            if (user.TryAdd(connection)) break;
            // That user's entry was emptied and is being dropped: put a fresh one in its place (or take whichever won).
            _byUser.TryUpdate(connection.UserKey, new UserConnections(), user);
        }
        Interlocked.Increment(ref _count);
        _changed.TryAdd(connection.UserKey, 0);
        // Paired with the fence of the publication's swap: either it sees this connection, or this sees its users.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _served)?.ReasonToClose(connection) is { } reason && connection.Close(reason))
        {
            _log?.Info("closed 1 connection(s) of {0}: {1}", connection.Account.Name, reason);
        }
        // A connection that opens at its user's limit is the newest anywhere: the policy closes it at once.
        else if (Volatile.Read(ref _limits).TryGetValue(connection.UserKey, out var limits)) EnforceLimits(connection.UserKey, limits);
        return connection;
    }

    /// <summary>
    /// Weighs the users' connection limits against <paramref name="cluster"/>'s other members from now on, again on
    /// each of its changes. Call once, before connections arrive; without it only this node's connections count.
    /// </summary>
    public void WatchCluster(IClusterConnections cluster)
    {
        if (Interlocked.CompareExchange(ref _cluster, cluster, null) is not null)
            throw new InvalidOperationException("LiveConnections already watches a cluster.");
        cluster.Changed += () => EnforceLimits();
    }

    /// <summary>Closes the local connections over any limited user's limits, as the cluster stands now; returns how many it asked to close.</summary>
    public int EnforceLimits()
    {
        var closed = 0;
        foreach (var (key, limits) in Volatile.Read(ref _limits))
        {
            if (_byUser.ContainsKey(key)) closed += EnforceLimits(key, limits);
        }
        return closed;
    }

    private int EnforceLimits(string userKey, UserLimits limits)
    {
        if (!_byUser.TryGetValue(userKey, out var user)) return 0;
        // One already closing is on its way out: it holds no place under the limits.
        var connections = Array.FindAll(user.Snapshot(), c => !c.IsClosing);
        if (connections.Length == 0) return 0;
        var stamps = Array.ConvertAll(connections, c => new LocalConnectionStamp(c.Sequence, c.OpenedAt, c.SourceIp));
        var cluster = Volatile.Read(ref _cluster);
        var toClose = ConnectionLimitPolicy.ToClose(limits, cluster?.SelfMember ?? "", stamps, cluster?.OthersOf(userKey) ?? []);
        if (toClose.Count == 0) return 0;
        var closed = 0;
        foreach (var connection in connections)
        {
            if (toClose.TryGetValue(connection.Sequence, out var breach) && connection.Close(LimitReason(limits, breach, connection))) closed++;
        }
        if (closed > 0) _log?.Info("closed {0} connection(s) of {1}: over its limits ({2})", closed, connections[0].Account.Name, Describe(limits));
        return closed;
    }

    private static string LimitReason(UserLimits limits, ConnectionLimitBreach breach, LiveConnection connection) => breach == ConnectionLimitBreach.SourceIps
        ? $"user's source IP limit ({limits.MaxSourceIps}) reached ({connection.SourceIp})"
        : $"user's connection limit ({limits.MaxConnections}) reached";

    private static string Describe(UserLimits limits) =>
        string.Join(", ", new[]
        {
            limits.MaxConnections > 0 ? $"{limits.MaxConnections} connection(s)" : null,
            limits.MaxSourceIps > 0 ? $"{limits.MaxSourceIps} source IP(s)" : null,
        }.OfType<string>());

    internal void Unregister(LiveConnection connection)
    {
        if (!_byUser.TryGetValue(connection.UserKey, out var user) || !user.TryRemove(connection, out var emptied)) return;
        if (emptied) _byUser.TryRemove(new KeyValuePair<string, UserConnections>(connection.UserKey, user));
        Interlocked.Decrement(ref _count);
        _changed.TryAdd(connection.UserKey, 0);
    }

    /// <summary>
    /// Closes every connection whose account <paramref name="served"/> no longer holds as it was (its id gone, or
    /// under another alterId or user), and remembers the list, so a connection registered a moment later is checked
    /// too. <paramref name="directory"/> names the reason (disabled or suspended rather than removed) and brings the
    /// users' connection limits, which are enforced right after. Logs one line per user at info; returns how many
    /// connections it asked to close.
    /// </summary>
    public int CloseUnserved(IReadOnlyCollection<VMessAccount> served, UserDirectory? directory = null)
    {
        var now = new ServedUsers(served, directory);
        Interlocked.Exchange(ref _served, now);
        var limits = directory?.ConnectionLimits ?? NoLimits;
        var previous = Interlocked.Exchange(ref _limits, limits);
        // Users whose limits came, went or changed publish again: what they publish depends on them.
        foreach (var (key, _) in previous) if (!limits.ContainsKey(key)) _changed.TryAdd(key, 0);
        foreach (var (key, value) in limits) if (!previous.TryGetValue(key, out var before) || before != value) _changed.TryAdd(key, 0);
        var closed = 0;
        Dictionary<(string Key, string Reason), (string Name, int Count)>? closedByUser = null;
        foreach (var (_, user) in _byUser)
        {
            foreach (var connection in user.Snapshot())
            {
                if (now.ReasonToClose(connection) is not { } reason || !connection.Close(reason)) continue;
                closed++;
                var slot = (connection.UserKey, reason);
                closedByUser ??= new();
                closedByUser[slot] = closedByUser.TryGetValue(slot, out var seen) ? (seen.Name, seen.Count + 1) : (connection.Account.Name, 1);
            }
        }
        if (closedByUser is not null && _log is { } log)
        {
            foreach (var ((_, reason), (name, count)) in closedByUser) log.Info("closed {0} connection(s) of {1}: {2}", count, name, reason);
        }
        return closed + EnforceLimits();
    }

    public IReadOnlyCollection<string> TakeChangedUsers()
    {
        if (_changed.IsEmpty) return [];
        var keys = new List<string>();
        foreach (var (key, _) in _changed)
        {
            if (_changed.TryRemove(key, out _)) keys.Add(key);
        }
        return keys;
    }

    public OnlineUser? Describe(string userKey)
    {
        if (!_byUser.TryGetValue(userKey, out var user) || user.Describe() is not { } online) return null;
        if (!Volatile.Read(ref _limits).TryGetValue(userKey, out var limits)) return online;
        var stamps = Array.ConvertAll(Array.FindAll(user.Snapshot(), c => !c.IsClosing), c => new LocalConnectionStamp(c.Sequence, c.OpenedAt, c.SourceIp));
        var (oldest, firstByIp) = ConnectionLimitPolicy.Published(limits, stamps);
        return online with { OldestOpenedAt = oldest, FirstOpenedAtByIp = firstByIp };
    }

    /// <summary>One user's connections; once emptied it is retired and a registration takes a fresh one.</summary>
    private sealed class UserConnections
    {
        private readonly Lock _gate = new();
        private readonly List<LiveConnection> _connections = new(1);
        private bool _retired;

        public int Count
        {
            get { lock (_gate) return _connections.Count; }
        }

        public bool TryAdd(LiveConnection connection)
        {
            lock (_gate)
            {
                if (_retired) return false;
                _connections.Add(connection);
                return true;
            }
        }

        public bool TryRemove(LiveConnection connection, out bool emptied)
        {
            lock (_gate)
            {
                var removed = _connections.Remove(connection);
                emptied = _retired = _connections.Count == 0;
                return removed;
            }
        }

        public LiveConnection[] Snapshot()
        {
            lock (_gate) return _connections.ToArray();
        }

        public OnlineUser? Describe()
        {
            lock (_gate)
            {
                if (_connections.Count == 0) return null;
                var sourceIps = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var connection in _connections) sourceIps[connection.SourceIp] = sourceIps.GetValueOrDefault(connection.SourceIp) + 1;
                return new OnlineUser(_connections[0].Account.Name, _connections.Count, sourceIps);
            }
        }
    }

    /// <summary>What one publication serves: its accounts by id, and why the registry refuses the users it holds but does not serve.</summary>
    private sealed class ServedUsers(IReadOnlyCollection<VMessAccount> accounts, UserDirectory? directory)
    {
        private readonly Dictionary<VMessUserId, VMessAccount> _byId = ById(accounts);

        // Only needed to tell "the id changed" from "removed", so built on the first connection that needs it.
        private readonly Lazy<HashSet<string>> _keys = new(() => accounts.Select(a => UserKey.For(a.Id, a.Email)).ToHashSet(StringComparer.Ordinal));

        public string? ReasonToClose(LiveConnection connection)
        {
            var account = connection.Account;
            if (_byId.TryGetValue(account.Id, out var served) && SameUser(served, account))
            {
                return served.AlterId == account.AlterId ? null : "user's alterId changed";
            }
            if (directory?.RefusalOf(connection.UserKey) is { } refusal) return refusal;
            return _keys.Value.Contains(connection.UserKey) ? "user's id changed" : "user removed";
        }

        // The same registry user: the key is the lower-cased email, or the id where there is none.
        private static bool SameUser(VMessAccount a, VMessAccount b) =>
            string.IsNullOrEmpty(a.Email) ? string.IsNullOrEmpty(b.Email) : string.Equals(a.Email, b.Email, StringComparison.OrdinalIgnoreCase);

        private static Dictionary<VMessUserId, VMessAccount> ById(IReadOnlyCollection<VMessAccount> accounts)
        {
            var byId = new Dictionary<VMessUserId, VMessAccount>(accounts.Count);
            foreach (var account in accounts) byId[account.Id] = account;
            return byId;
        }
    }
}
