using VMess.Configuration.Options;
using VMess.Protocol.Sessions;

namespace VMess.Relay.Outbound;

/// <summary>
/// The servers a VMess outbound dials, picked round robin, as V2Ray 4.34's <c>ServerList</c> with its
/// <c>RoundRobinServerPicker</c>: the configured servers never expire; a server a response announced
/// (<see cref="Protocol.Headers.SwitchAccountCommand"/>) is appended and valid until its deadline. An expired one is
/// dropped when the picker reaches its index, by moving the last entry into its place, so the order after a removal is
/// V2Ray's too. Each announcement appends an entry, even for a server already listed, as V2Ray does.
/// </summary>
public sealed class VMessServerList
{
    private readonly List<VMessServerEntry> _servers;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private int _next;

    public VMessServerList(IEnumerable<VMessServerEntry> configured, TimeProvider clock)
    {
        _servers = [.. configured];
        if (_servers.Count == 0) throw new ArgumentException("A VMess outbound needs at least one server.", nameof(configured));
        if (_servers.Any(s => s.ValidUntil is not null)) throw new ArgumentException("Configured servers do not expire.", nameof(configured));
        _clock = clock;
    }

    /// <summary>Servers listed now, expired ones included until the picker reaches them.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _servers.Count;
        }
    }

    /// <summary>A snapshot of the list, in picking order.</summary>
    public IReadOnlyList<VMessServerEntry> Servers
    {
        get
        {
            lock (_gate) return [.. _servers];
        }
    }

    public void Add(VMessServerEntry server)
    {
        ArgumentNullException.ThrowIfNull(server);
        lock (_gate) _servers.Add(server);
    }

    /// <summary>The next server: the one at the picker's index if still valid, else from the start of the list.</summary>
    public VMessServerEntry Pick()
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            var next = _next;
            var server = ValidAt(next, now);
            if (server is null)
            {
                next = 0;
                // The configured servers never expire, so index 0 always holds one.
                server = ValidAt(0, now)!;
            }
            next++;
            if (next >= _servers.Count) next = 0;
            _next = next;
            return server;
        }
    }

    private VMessServerEntry? ValidAt(int index, DateTimeOffset now)
    {
        while (index < _servers.Count)
        {
            var server = _servers[index];
            if (server.ValidUntil is not { } until || until > now) return server;
            _servers[index] = _servers[^1];
            _servers.RemoveAt(_servers.Count - 1);
        }
        return null;
    }
}

/// <summary>
/// One server of a <see cref="VMessServerList"/>: where it is, its users with their keys derived once, and until when
/// it may be used (null: always, for a configured server).
/// </summary>
public sealed record VMessServerEntry(VMessServer Server, IReadOnlyList<VMessServerUser> Users, DateTimeOffset? ValidUntil = null)
{
    /// <summary>A configured server, its users' keys derived now.</summary>
    public static VMessServerEntry Configured(VMessServer server) =>
        new(server, [.. server.Users.Select(u => new VMessServerUser(u, new ClientAccount(u.Id, u.AlterId, u.Security)))]);
}

/// <summary>A user of a server as configured (or announced), and the same user as the client session needs it.</summary>
public sealed record VMessServerUser(VMessOutboundUser User, ClientAccount Account);
