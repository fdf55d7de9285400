using System.Net;
using System.Net.Sockets;
using VMess.Relay.Policy;
using VMess.Relay.Tests.Support;
using VMess.Testing;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// Our node as a client with mux on in front of a real v2ray 4.34 server: many TCP and UDP sessions ride few
/// Mux.Cool connections, every byte comes back, and one local client that stops reading does not hold up the
/// sessions that share its connection.
/// </summary>
public sealed class RealServerMuxClientSpec(RealServerMuxClientFixture client) : IClassFixture<RealServerMuxClientFixture>
{
    [Fact]
    public async Task Client_should_carry_four_rounds_of_16_concurrent_muxed_tcp_streams_of_10_MiB_each_way_intact()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        const int Rounds = 4, Streams = 16;
        const long Length = 10 * 1024 * 1024;
        for (var round = 0; round < Rounds; round++)
        {
            var port = round % 2 == 0 ? client.TcpPortConcurrency4 : client.TcpPortConcurrency8;
            var seeds = Enumerable.Range(0, Streams).Select(i => 9000 + round * 100 + i).ToArray();

            var broken = await Tcp.ConcurrentStreamFailuresAsync(port, Length, seeds, cts.Token);

            Assert.True(broken.Count == 0, $"round {round}: {broken.Count} streams came back wrong: {string.Join(", ", broken)}; {Describe()}");
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public async Task Client_should_reuse_mux_connections_so_the_server_sees_far_fewer_connections_than_sessions(int concurrency)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var port = concurrency == 4 ? client.TcpPortConcurrency4 : client.TcpPortConcurrency8;
        var pool = client.Pool(port);
        var dialsBefore = pool.Dials;
        const int Rounds = 4, Streams = 16;

        for (var round = 0; round < Rounds; round++)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, Streams)
                .Select(i => Tcp.StreamRoundTripAsync(port, 64 * 1024, seed: 300 + round * 100 + i, cts.Token)));
            Assert.All(results, r => Assert.Equal(r.SentSha256, r.ReceivedSha256));
        }

        // 64 sessions; at most 16 at once need 16/concurrency connections, each then reused round after round.
        var dials = pool.Dials - dialsBefore;
        Assert.True(pool.Dials >= 1, "the sessions never went over a mux connection");
        Assert.True(dials <= 2 * Streams / concurrency, $"{dials} mux connections for {Rounds * Streams} sessions at concurrency {concurrency}; {Describe()}");
    }

    [Fact]
    public async Task Client_should_carry_16_muxed_udp_sessions_each_answered_with_its_own_datagrams()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        const int Sessions = 16, DatagramsEach = 3;

        var failures = await Task.WhenAll(Enumerable.Range(0, Sessions).Select(async session =>
        {
            using var udp = new UdpClient(AddressFamily.InterNetwork);
            udp.Connect(IPAddress.Loopback, client.UdpPort);
            var answered = new List<byte[]>();
            for (var i = 0; i < DatagramsEach; i++)
            {
                var seed = 600 + session * 10 + i;
                var datagram = Payloads.Random(200 + session * 50 + i, seed);
                var reply = await UdpRetry.SendUntilAnsweredAsync(udp, datagram, cts.Token, answered);
                answered.Add(datagram);
                if (!datagram.AsSpan().SequenceEqual(reply)) return $"session {session} datagram {i} (seed {seed}): {reply.Length} different bytes";
            }

            return null;
        }));

        var wrong = failures.Where(f => f is not null).ToList();
        Assert.True(wrong.Count == 0, $"{string.Join("; ", wrong)}; {Describe()}");
        Assert.InRange(client.Pool(client.UdpPort).Dials, 1, Sessions - 1);
        Assert.True(client.Pool(client.UdpPort).Dials < Sessions, $"{client.Pool(client.UdpPort).Dials} mux connections for {Sessions} UDP sessions");
    }

    [Fact]
    public async Task Client_should_end_a_muxed_session_whose_local_reader_stops_while_its_neighbours_finish_intact()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var overflowsBefore = client.Node.Rejections[RejectionCause.MuxSessionOverflow];
        // Sends and never reads: the echoed replies pile up on its session until the node ends it.
        using var slow = await Socks5.ConnectAsync(client.SocksPort, "127.0.0.1", client.TcpEcho.Port, cts.Token);
        var slowEnded = SendUntilClosedAsync(slow, maxBytes: 256L * 1024 * 1024, cts.Token);
        const int Neighbours = 8;
        const long Length = 4 * 1024 * 1024;

        var results = await Task.WhenAll(Enumerable.Range(0, Neighbours).Select(async i =>
        {
            using var socket = await Socks5.ConnectAsync(client.SocksPort, "127.0.0.1", client.TcpEcho.Port, cts.Token);
            return await Tcp.StreamRoundTripAsync(socket, Length, seed: 5200 + i, cts.Token);
        }));

        var broken = results.Where(r => r.SentSha256 != r.ReceivedSha256 || r.ReceivedLength != Length).ToList();
        Assert.True(broken.Count == 0, $"{broken.Count} of {Neighbours} neighbours came back wrong; {Describe()}");
        await Waits.UntilAsync(() => client.Node.Rejections[RejectionCause.MuxSessionOverflow] > overflowsBefore, cts.Token);
        var sent = await slowEnded;
        Assert.True(sent < 256L * 1024 * 1024, "the slow session was never closed");
    }

    /// <summary>Writes until the connection is closed under it (the node ended the session); returns what was sent.</summary>
    private static async Task<long> SendUntilClosedAsync(Socket socket, long maxBytes, CancellationToken ct)
    {
        var block = Payloads.Random(64 * 1024, seed: 78);
        long sent = 0;
        try
        {
            while (sent < maxBytes) sent += await socket.SendAsync(block, SocketFlags.None, ct);
        }
        catch (SocketException)
        {
        }

        return sent;
    }

    private string Describe()
    {
        var counters = client.Node.Rejections.Snapshot();
        var rejections = counters.Count == 0 ? "none" : string.Join(", ", counters.Select(c => $"{c.Key}={c.Value}"));
        return $"node rejections: {rejections}; server output:\n{client.ServerOutput}";
    }
}
