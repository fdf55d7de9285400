using Akka.DistributedData;

namespace VMess.Registry.Online;

/// <summary>
/// <see cref="IOnlineUsers"/> read locally: the live connections every reachable member published, as this node's
/// <see cref="OnlineView"/> last saw them (swapped atomically), summed per user on each call. No call waits on another
/// node. Empty until the view has started and heard from a member. It is also what a node weighs its users'
/// connection limits against (<see cref="IClusterConnections"/>): the other members' entries, and a call on each change.
/// </summary>
public sealed class ClusterOnlineUsers : IOnlineUsers, IClusterConnections
{
    private Members _members = Members.None;

    /// <summary>How many members' connections the view holds now (the reachable ones that published).</summary>
    public int MemberCount => Volatile.Read(ref _members).All.Count;

    public string SelfMember => Volatile.Read(ref _members).Self;

    public event Action? Changed;

    public IReadOnlyList<MemberConnections> OthersOf(string userKey)
    {
        var members = Volatile.Read(ref _members);
        List<MemberConnections>? others = null;
        foreach (var (member, map) in members.All)
        {
            if (member != members.Self && map.TryGetValue(userKey, out var user)) (others ??= []).Add(new MemberConnections(member, user));
        }
        return others ?? (IReadOnlyList<MemberConnections>)[];
    }

    public Task<OnlineUser?> GetAsync(string email, CancellationToken cancellationToken) => Task.FromResult(Get(email));

    public Task<IReadOnlyList<OnlineUser>> ListAsync(CancellationToken cancellationToken) => Task.FromResult(List());

    /// <summary>The user's live connections over every reachable member; null when it has none. Never waits.</summary>
    public OnlineUser? Get(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        // The registry's key: the lower-cased email (or the lower-cased id of a user without one).
        var key = email.ToLowerInvariant();
        OnlineSum? sum = null;
        foreach (var (_, member) in Volatile.Read(ref _members).All)
        {
            if (member.TryGetValue(key, out var user)) (sum ??= new OnlineSum(user.Email)).Add(user);
        }
        return sum is { Connections: > 0 } ? sum.ToUser() : null;
    }

    /// <summary>Every user with a live connection on a reachable member, by name. Never waits.</summary>
    public IReadOnlyList<OnlineUser> List()
    {
        var sums = new Dictionary<string, OnlineSum>(StringComparer.Ordinal);
        foreach (var (_, member) in Volatile.Read(ref _members).All)
        {
            foreach (var (key, user) in member)
            {
                if (!sums.TryGetValue(key, out var sum)) sums[key] = sum = new OnlineSum(user.Email);
                sum.Add(user);
            }
        }
        return sums.Values.Where(s => s.Connections > 0).Select(s => s.ToUser()).OrderBy(u => u.Email, StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// Called by the view with every reachable member's latest map, by member key (<see cref="OnlineKeys"/>), and this
    /// node's own key; then tells <see cref="Changed"/>'s handlers, on the caller's thread.
    /// </summary>
    internal void Replace(string self, IReadOnlyList<KeyValuePair<string, LWWDictionary<string, OnlineUser>>> members)
    {
        Volatile.Write(ref _members, new Members(self, members));
        Changed?.Invoke();
    }

    private sealed record Members(string Self, IReadOnlyList<KeyValuePair<string, LWWDictionary<string, OnlineUser>>> All)
    {
        public static Members None { get; } = new("", []);
    }

    private sealed class OnlineSum(string email)
    {
        private readonly Dictionary<string, int> _sourceIps = new(StringComparer.Ordinal);

        public int Connections { get; private set; }

        public void Add(OnlineUser user)
        {
            Connections += user.Connections;
            foreach (var (ip, count) in user.SourceIps) _sourceIps[ip] = _sourceIps.GetValueOrDefault(ip) + count;
        }

        public OnlineUser ToUser() => new(email, Connections, _sourceIps);
    }
}
