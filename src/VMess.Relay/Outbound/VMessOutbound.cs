using System.Net.Sockets;
using VMess.Configuration.Options;
using VMess.Protocol;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;
using VMess.Protocol.Sessions;

namespace VMess.Relay.Outbound;

/// <summary>
/// Traffic through a VMess server (V2Ray's vmess outbound). Each dial picks the next server round robin and a random
/// user of it, as V2Ray 4.34 does, connects over TCP, and hands back the socket with the client session whose
/// request names the destination; the connection's graph runs that session over the socket.
/// <para>
/// A failed connect moves on to the next server, up to <see cref="DialAttempts"/> tries with V2Ray's back-off
/// (0, 200, 400, 600 ms between tries); <c>dialTimeout</c> bounds each try.
/// </para>
/// <para>
/// A response that carries a SwitchAccount command (a server with <c>detour</c>) adds the announced server to the
/// list until it expires (<see cref="AddAnnouncedServer"/>), so later dials take it in turn, as V2Ray's do.
/// </para>
/// </summary>
public sealed class VMessOutbound : IOutbound
{
    /// <summary>V2Ray 4.34 tries this many dials (each on the next server) before giving up.</summary>
    public const int DialAttempts = 5;

    /// <summary>The back-off grows by this much per failed try, starting at zero.</summary>
    public static readonly TimeSpan DialBackoffStep = TimeSpan.FromMilliseconds(200);

    private readonly VMessServerList _servers;
    private readonly TimeSpan _dialTimeout;
    private readonly TimeProvider _clock;
    private readonly IRandomSource _random;
    private readonly Lock _announcedGate = new();
    private VMessServerUser? _lastAnnounced;

    public VMessOutbound(string? tag, VMessOutboundSettings settings, TimeSpan dialTimeout, TimeProvider clock, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Servers.IsDefaultOrEmpty) throw new ArgumentException("A VMess outbound needs at least one server.", nameof(settings));
        Tag = tag;
        _dialTimeout = dialTimeout;
        _clock = clock;
        _random = random;
        // Keys are derived once per user here, not per connection (a legacy user's alter ids take MD5 chains).
        _servers = new VMessServerList(settings.Servers.Select(server =>
        {
            if (server.Users.IsDefaultOrEmpty) throw new ArgumentException($"VMess server {server.Address}:{server.Port} has no user.", nameof(settings));
            return VMessServerEntry.Configured(server);
        }), clock);
    }

    /// <summary>The servers dials pick from: the configured ones, then those responses announced and still listed.</summary>
    public VMessServerList Servers => _servers;

    public string? Tag { get; }

    public async Task<OutboundConnection> DialAsync(DestinationAddress destination, RequestCommand command, CancellationToken cancellationToken) =>
        (await DialServerAsync(destination, command, cancellationToken).ConfigureAwait(false)).Connection;

    /// <summary>
    /// <see cref="DialAsync"/> with what the control plane needs besides the connection: which server and which
    /// user were picked (the user's <see cref="VMessOutboundUser.Level"/> selects the connection's policy in V2Ray).
    /// Throws the last <see cref="SocketException"/> when every try failed.
    /// </summary>
    public async Task<VMessOutboundDial> DialServerAsync(DestinationAddress destination, RequestCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        SocketException? last = null;
        for (var attempt = 0; attempt < DialAttempts; attempt++)
        {
            if (attempt > 1) await Task.Delay(DialBackoffStep * (attempt - 1), _clock, cancellationToken).ConfigureAwait(false);
            var server = _servers.Pick();
            try
            {
                var socket = await Dialer.ConnectAsync(server.Server.Address, server.Server.Port, SocketType.Stream, AddressFamily.Unspecified,
                    _dialTimeout, cancellationToken).ConfigureAwait(false);
                var user = PickUser(server);
                var account = user.Account;
                var header = RequestHeader.CreateRandom(_random, command, command == RequestCommand.Mux ? null : destination,
                    account.Security, account.DefaultOptions);
                var origin = server.Server;
                var connection = new OutboundConnection(socket, new ClientSession(account, header))
                {
                    OnSwitchAccount = switchAccount => AddAnnouncedServer(origin, switchAccount),
                };
                return new VMessOutboundDial(connection, origin, user.User);
            }
            catch (SocketException e)
            {
                last = e;
            }
        }
        throw last!;
    }

    /// <summary>
    /// Adds the server a response announced (V2Ray's <c>handleSwitchAccount</c>): the announced host, or else the
    /// address of the server that answered, on the announced port, with the announced account, until
    /// <see cref="SwitchAccountCommand.ValidMinutes"/> from now. As V2Ray, the account's body security is
    /// aes-128-cfb ("legacy"), and its header is AEAD when the announced alterId is 0.
    /// </summary>
    public void AddAnnouncedServer(VMessServer origin, SwitchAccountCommand command)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(command);
        var user = AnnouncedUser(command);
        var server = new VMessServer(string.IsNullOrEmpty(command.Host) ? origin.Address : command.Host, command.Port, [user.User]);
        _servers.Add(new VMessServerEntry(server, [user], _clock.GetUtcNow().AddMinutes(command.ValidMinutes)));
    }

    // A server that keeps announcing one account (every response of a detour server does) costs one key derivation.
    private VMessServerUser AnnouncedUser(SwitchAccountCommand command)
    {
        var user = new VMessOutboundUser(command.Id, command.AlterIds, SecurityType.Legacy, command.Level, Email: null);
        lock (_announcedGate)
        {
            if (_lastAnnounced is { } last && last.User == user) return last;
        }
        var announced = new VMessServerUser(user, new ClientAccount(user.Id, user.AlterId, user.Security));
        lock (_announcedGate) _lastAnnounced = announced;
        return announced;
    }

    /// <summary>A random user of the server (V2Ray's <c>ServerSpec.PickUser</c>).</summary>
    private VMessServerUser PickUser(VMessServerEntry server) =>
        server.Users.Count == 1 ? server.Users[0] : server.Users[_random.Next(server.Users.Count)];
}
