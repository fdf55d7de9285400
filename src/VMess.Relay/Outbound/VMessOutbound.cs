using System.Collections.Immutable;
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
/// </summary>
public sealed class VMessOutbound : IOutbound
{
    /// <summary>V2Ray 4.34 tries this many dials (each on the next server) before giving up.</summary>
    public const int DialAttempts = 5;

    /// <summary>The back-off grows by this much per failed try, starting at zero.</summary>
    public static readonly TimeSpan DialBackoffStep = TimeSpan.FromMilliseconds(200);

    private readonly ImmutableArray<ServerEntry> _servers;
    private readonly TimeSpan _dialTimeout;
    private readonly TimeProvider _clock;
    private readonly IRandomSource _random;
    private readonly Lock _gate = new();
    private int _next;

    public VMessOutbound(string? tag, VMessOutboundSettings settings, TimeSpan dialTimeout, TimeProvider clock, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Servers.IsDefaultOrEmpty) throw new ArgumentException("A VMess outbound needs at least one server.", nameof(settings));
        Tag = tag;
        _dialTimeout = dialTimeout;
        _clock = clock;
        _random = random;
        // Keys are derived once per user here, not per connection (a legacy user's alter ids take MD5 chains).
        _servers = [.. settings.Servers.Select(server =>
        {
            if (server.Users.IsDefaultOrEmpty) throw new ArgumentException($"VMess server {server.Address}:{server.Port} has no user.", nameof(settings));
            return new ServerEntry(server, [.. server.Users.Select(u => new VMessOutboundUserKeys(u, new ClientAccount(u.Id, u.AlterId, u.Security)))]);
        })];
    }

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
            var server = PickServer();
            try
            {
                var socket = await Dialer.ConnectAsync(server.Server.Address, server.Server.Port, SocketType.Stream, AddressFamily.Unspecified,
                    _dialTimeout, cancellationToken).ConfigureAwait(false);
                var user = server.PickUser(_random);
                var account = user.Account;
                var header = RequestHeader.CreateRandom(_random, command, command == RequestCommand.Mux ? null : destination,
                    account.Security, account.DefaultOptions);
                return new VMessOutboundDial(new OutboundConnection(socket, new ClientSession(account, header)), server.Server, user.User);
            }
            catch (SocketException e)
            {
                last = e;
            }
        }
        throw last!;
    }

    /// <summary>The next server, round robin in config order (V2Ray's <c>RoundRobinServerPicker</c>).</summary>
    private ServerEntry PickServer()
    {
        lock (_gate)
        {
            var server = _servers[_next];
            _next = (_next + 1) % _servers.Length;
            return server;
        }
    }

    private sealed record ServerEntry(VMessServer Server, ImmutableArray<VMessOutboundUserKeys> Users)
    {
        /// <summary>A random user of the server (V2Ray's <c>ServerSpec.PickUser</c>).</summary>
        public VMessOutboundUserKeys PickUser(IRandomSource random) => Users.Length == 1 ? Users[0] : Users[random.Next(Users.Length)];
    }

    private sealed record VMessOutboundUserKeys(VMessOutboundUser User, ClientAccount Account);
}
