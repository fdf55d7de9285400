using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using VMess.Configuration.Options;
using VMess.Protocol;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;
using VMess.Relay.Outbound;
using VMess.Testing;

namespace VMess.Relay.Tests.Outbound;

/// <summary>Server and user choice, request header and dialling of the VMess outbound, against silent loopback listeners.</summary>
public sealed class VMessOutboundTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly DestinationAddress Target = DestinationAddress.FromDomain("example.com", 443);

    [Fact]
    public async Task Dial_should_take_the_servers_round_robin_in_config_order()
    {
        await using var first = new CapturingListener();
        await using var second = new CapturingListener();
        var outbound = Outbound([Server("127.0.0.1", first.Port, User()), Server("127.0.0.1", second.Port, User())]);

        var ports = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            var dial = await outbound.DialServerAsync(Target, RequestCommand.Tcp, CancellationToken.None).WaitAsync(Timeout);
            using var socket = dial.Connection.Socket;
            Assert.Equal(dial.Server.Port, ((IPEndPoint)socket.RemoteEndPoint!).Port);
            ports.Add(dial.Server.Port);
        }

        Assert.Equal([first.Port, second.Port, first.Port, second.Port], ports);
    }

    [Fact]
    public async Task Dial_should_send_as_the_user_the_random_source_picks_from_the_server()
    {
        await using var listener = new CapturingListener();
        VMessOutboundUser[] users = [User(level: 1), User(level: 2), User(level: 3)];
        var outbound = Outbound([Server("127.0.0.1", listener.Port, users)], new ScriptedRandom(2, 0));

        var third = await outbound.DialServerAsync(Target, RequestCommand.Tcp, CancellationToken.None).WaitAsync(Timeout);
        var first = await outbound.DialServerAsync(Target, RequestCommand.Tcp, CancellationToken.None).WaitAsync(Timeout);
        third.Connection.Socket.Dispose();
        first.Connection.Socket.Dispose();

        Assert.Equal(users[2], third.User);
        Assert.Equal(3, third.Level);
        Assert.Equal(users[0], first.User);
    }

    public static TheoryData<ushort, SecurityType, SecurityType, RequestOptions> SecurityAndOptions()
    {
        const RequestOptions S = RequestOptions.ChunkStream, M = RequestOptions.ChunkMasking, P = RequestOptions.GlobalPadding;
        var data = new TheoryData<ushort, SecurityType, SecurityType, RequestOptions>();
        foreach (var alterId in new ushort[] { 0, 4 })
        {
            data.Add(alterId, SecurityType.Aes128Gcm, SecurityType.Aes128Gcm, S | M | P);
            data.Add(alterId, SecurityType.ChaCha20Poly1305, SecurityType.ChaCha20Poly1305, S | M | P);
            data.Add(alterId, SecurityType.None, SecurityType.None, S | M);
            data.Add(alterId, SecurityType.Legacy, SecurityType.Legacy, S);
            data.Add(alterId, SecurityType.Auto, SecurityType.Auto.Resolve(), S | M | P);
        }
        return data;
    }

    [Theory, MemberData(nameof(SecurityAndOptions))]
    public async Task Dial_should_request_the_users_security_with_the_option_bits_V2Ray_sets(
        ushort alterId, SecurityType configured, SecurityType expected, RequestOptions options)
    {
        await using var listener = new CapturingListener();
        var outbound = Outbound([Server("127.0.0.1", listener.Port, User(alterId: alterId, security: configured))]);

        var connection = await outbound.DialAsync(Target, RequestCommand.Tcp, CancellationToken.None).WaitAsync(Timeout);
        connection.Socket.Dispose();

        var session = Assert.IsType<VMess.Protocol.Sessions.ClientSession>(connection.Session);
        Assert.Equal(expected, session.Header.Security);
        Assert.Equal(options, session.Header.Options);
        Assert.Equal(alterId == 0, session.IsAead);
        Assert.Equal(RequestCommand.Tcp, session.Header.Command);
        Assert.Equal(Target, session.Header.Destination);
    }

    [Fact]
    public async Task Dial_should_carry_a_udp_request_over_a_tcp_connection_to_the_server()
    {
        await using var listener = new CapturingListener();
        var outbound = Outbound([Server("127.0.0.1", listener.Port, User())]);

        var connection = await outbound.DialAsync(Target, RequestCommand.Udp, CancellationToken.None).WaitAsync(Timeout);
        connection.Socket.Dispose();

        Assert.Equal(SocketType.Stream, connection.Socket.SocketType);
        Assert.Equal(RequestCommand.Udp, connection.Session!.Header.Command);
    }

    [Fact]
    public async Task Dial_should_name_no_destination_for_a_mux_request()
    {
        await using var listener = new CapturingListener();
        var outbound = Outbound([Server("127.0.0.1", listener.Port, User())]);

        var connection = await outbound.DialAsync(DestinationAddress.FromDomain("v1.mux.cool", 0), RequestCommand.Mux, CancellationToken.None).WaitAsync(Timeout);
        connection.Socket.Dispose();

        Assert.Null(connection.Session!.Header.Destination);
    }

    [Fact]
    public async Task Dial_should_resolve_a_server_given_by_name()
    {
        await using var listener = new CapturingListener();
        var outbound = Outbound([Server("localhost", listener.Port, User())]);

        var connection = await outbound.DialAsync(Target, RequestCommand.Tcp, CancellationToken.None).WaitAsync(Timeout);
        using var socket = connection.Socket;

        Assert.Equal(listener.EndPoint, socket.RemoteEndPoint);
    }

    [Fact]
    public async Task Dial_should_move_on_to_the_next_server_when_one_refuses()
    {
        await using var listener = new CapturingListener();
        var outbound = Outbound([Server("127.0.0.1", FreePort.Tcp(), User()), Server("127.0.0.1", listener.Port, User())]);

        var dial = await outbound.DialServerAsync(Target, RequestCommand.Tcp, CancellationToken.None).WaitAsync(Timeout);
        using var socket = dial.Connection.Socket;

        Assert.Equal(listener.Port, dial.Server.Port);
    }

    [Fact]
    public async Task Dial_should_throw_the_socket_error_after_every_try_failed()
    {
        var outbound = Outbound([Server("127.0.0.1", FreePort.Tcp(), User())]);

        var failure = await Assert.ThrowsAsync<SocketException>(
            () => outbound.DialAsync(Target, RequestCommand.Tcp, CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(SocketError.ConnectionRefused, failure.SocketErrorCode);
    }

    [Fact]
    public void Constructor_should_refuse_settings_without_a_server()
    {
        Assert.Throws<ArgumentException>(() => Outbound([]));
    }

    private static VMessOutbound Outbound(VMessServer[] servers, IRandomSource? random = null) =>
        new("proxy", new VMessOutboundSettings([.. servers]), Timeout, TimeProvider.System, random ?? CryptoRandomSource.Instance);

    private static VMessServer Server(string address, int port, params VMessOutboundUser[] users) => new(address, port, [.. users]);

    private static VMessOutboundUser User(ushort alterId = 0, SecurityType security = SecurityType.Aes128Gcm, byte level = 0) =>
        new(VMessUserId.NewRandom(), alterId, security, level, Email: null);

    /// <summary>Picks the given indexes in turn; bytes are zero.</summary>
    private sealed class ScriptedRandom(params int[] picks) : IRandomSource
    {
        private int _next;

        public void Fill(Span<byte> destination) => destination.Clear();

        public int Next(int maxExclusive) => picks[_next++ % picks.Length];
    }
}
