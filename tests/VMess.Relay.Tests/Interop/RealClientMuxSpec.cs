using System.Net;
using System.Net.Sockets;
using VMess.Relay.Policy;
using VMess.Relay.Tests.Support;
using VMess.Testing;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// A real v2ray 4.34 client with mux enabled in front of our node: Mux.Cool connections carry many TCP and UDP
/// sub-connections, every byte comes back, and one session whose target stops reading is ended without holding up
/// the others that share its connection.
/// </summary>
public sealed class RealClientMuxSpec(RealClientMuxFixture relay) : IClassFixture<RealClientMuxFixture>
{
    [Fact]
    public async Task Node_should_relay_four_rounds_of_16_concurrent_muxed_tcp_streams_of_10_MiB_each_intact()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        const int Rounds = 4, Streams = 16;
        const long Length = 10 * 1024 * 1024;
        for (var round = 0; round < Rounds; round++)
        {
            var port = round % 2 == 0 ? relay.TcpPortConcurrency4 : relay.TcpPortConcurrency8;
            var seeds = Enumerable.Range(0, Streams).Select(i => 7000 + round * 100 + i).ToArray();

            var broken = await Tcp.ConcurrentStreamFailuresAsync(port, Length, seeds, cts.Token);

            Assert.True(broken.Count == 0, $"round {round}: {broken.Count} streams came back wrong: {string.Join(", ", broken)}; " +
                $"rejections {Describe(relay.Node.Rejections.Snapshot())}\n{relay.ClientOutput}");
        }
    }

    [Fact]
    public async Task Node_should_relay_16_muxed_udp_sessions_each_answered_with_its_own_datagrams()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        const int Sessions = 16, DatagramsEach = 3;

        var failures = await Task.WhenAll(Enumerable.Range(0, Sessions).Select(async session =>
        {
            using var udp = new UdpClient(AddressFamily.InterNetwork);
            udp.Connect(IPAddress.Loopback, relay.UdpPort);
            for (var i = 0; i < DatagramsEach; i++)
            {
                var seed = 900 + session * 10 + i;
                var datagram = Payloads.Random(200 + session * 50 + i, seed);
                var reply = await UdpRetry.SendUntilAnsweredAsync(udp, datagram, cts.Token);
                if (!datagram.AsSpan().SequenceEqual(reply)) return $"session {session} datagram {i} (seed {seed}): {reply.Length} different bytes";
            }

            return null;
        }));

        var wrong = failures.Where(f => f is not null).ToList();
        Assert.True(wrong.Count == 0, string.Join("; ", wrong));
    }

    [Fact]
    public async Task Node_should_end_a_muxed_session_whose_target_stops_reading_while_its_neighbours_finish_intact()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var overflowsBefore = relay.Node.Rejections[RejectionCause.MuxSessionOverflow];
        using var slow = await Socks5.ConnectAsync(relay.SocksPort, "127.0.0.1", relay.Stalled.Port, cts.Token);
        var slowEnded = SendUntilClosedAsync(slow, maxBytes: 256L * 1024 * 1024, cts.Token);
        const int Neighbours = 8;
        const long Length = 4 * 1024 * 1024;

        var results = await Task.WhenAll(Enumerable.Range(0, Neighbours).Select(async i =>
        {
            using var socket = await Socks5.ConnectAsync(relay.SocksPort, "127.0.0.1", relay.TcpEcho.Port, cts.Token);
            return await Tcp.StreamRoundTripAsync(socket, Length, seed: 4200 + i, cts.Token);
        }));

        var broken = results.Where(r => r.SentSha256 != r.ReceivedSha256 || r.ReceivedLength != Length).ToList();
        Assert.True(broken.Count == 0, $"{broken.Count} of {Neighbours} neighbours came back wrong; rejections {Describe(relay.Node.Rejections.Snapshot())}");
        await Waits.UntilAsync(() => relay.Node.Rejections[RejectionCause.MuxSessionOverflow] > overflowsBefore, cts.Token);
        var sent = await slowEnded;
        Assert.True(sent < 256L * 1024 * 1024, "the slow session was never closed");
    }

    [Fact]
    public async Task Node_should_log_and_count_each_muxed_session_as_the_users_connection_to_its_target()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var target = $"tcp:127.0.0.1:{relay.TcpEcho.Port}";
        var logged = relay.Node.AccessLog.Records.Count(r => r.To == target);

        var result = await Tcp.StreamRoundTripAsync(relay.TcpPortConcurrency8, 64 * 1024, seed: 5, cts.Token);

        Assert.Equal(result.SentSha256, result.ReceivedSha256);
        await Waits.UntilAsync(() => relay.Node.AccessLog.Records.Count(r => r.To == target) > logged, cts.Token);
        var record = relay.Node.AccessLog.Records.Last(r => r.To == target);
        Assert.True(record.Accepted);
        Assert.Equal("mux@test", record.Email);
        Assert.DoesNotContain(relay.Node.AccessLog.Records, r => r.To?.Contains("mux.cool") == true);
    }

    /// <summary>Writes until the connection is closed under it (the client tore the session down); returns what was sent.</summary>
    private static async Task<long> SendUntilClosedAsync(Socket socket, long maxBytes, CancellationToken ct)
    {
        var block = Payloads.Random(64 * 1024, seed: 77);
        long sent = 0;
        try
        {
            while (sent < maxBytes)
            {
                sent += await socket.SendAsync(block, SocketFlags.None, ct);
            }
        }
        catch (SocketException)
        {
        }

        return sent;
    }

    private static string Describe(IReadOnlyDictionary<string, long> counters) =>
        counters.Count == 0 ? "none" : string.Join(", ", counters.Select(c => $"{c.Key}={c.Value}"));
}
