using System.Net;
using System.Net.Sockets;
using VMess.Relay.Tests.Support;
using VMess.Testing;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// Our node as a VMess client in front of a real v2ray 4.34 server: every byte must come back through the node's
/// dokodemo-door and socks inbounds, for AEAD and legacy auth and each security, over TCP (64 MiB each way) and UDP,
/// one at a time and 100 at once.
/// </summary>
public sealed class RealServerClientTransferSpec(RealServerClientFixture client) : IClassFixture<RealServerClientFixture>
{
    private const long BulkBytes = 64L * 1024 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static TheoryData<int, string> AuthAndSecurity()
    {
        var data = new TheoryData<int, string>();
        foreach (var alterId in new[] { 0, 4 })
        {
            foreach (var security in RealServerClientFixture.Securities) data.Add(alterId, security);
        }
        return data;
    }

    [Theory, MemberData(nameof(AuthAndSecurity))]
    public async Task Client_should_carry_64_MiB_each_way_from_dokodemo_door_through_a_real_server(int alterId, string security)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var seed = 7 * alterId + security.Length;

        var (sent, received, length) = await Tcp.StreamRoundTripAsync(client.Port("dokodemo-door", alterId, security), BulkBytes, seed, cts.Token);

        Assert.True(sent == received, $"seed {seed}: {length} of {BulkBytes} bytes came back intact? no; {Describe()}");
    }

    [Theory, MemberData(nameof(AuthAndSecurity))]
    public async Task Client_should_carry_64_MiB_each_way_from_a_socks5_connect_through_a_real_server(int alterId, string security)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var seed = 11 * alterId + security.Length;
        using var tunnel = await Socks5.ConnectAsync(client.Port("socks", alterId, security), "127.0.0.1", client.TcpEcho.Port, cts.Token);

        var (sent, received, length) = await Tcp.StreamRoundTripAsync(tunnel, BulkBytes, seed, cts.Token);

        Assert.True(sent == received, $"seed {seed}: {length} of {BulkBytes} bytes came back intact? no; {Describe()}");
    }

    [Fact]
    public async Task Client_should_carry_100_concurrent_socks5_connections_each_intact()
    {
        using var cts = new CancellationTokenSource(Timeout);
        const int Connections = 100;
        var port = client.Port("socks", 0, "aes-128-gcm");

        var results = await Task.WhenAll(Enumerable.Range(0, Connections).Select(async i =>
        {
            using var tunnel = await Socks5.ConnectAsync(port, "localhost", client.TcpEcho.Port, cts.Token);
            return await Tcp.StreamRoundTripAsync(tunnel, 64 * 1024 + i, seed: 2000 + i, cts.Token);
        }));

        var broken = results.Select((r, i) => (r, i)).Where(x => x.r.SentSha256 != x.r.ReceivedSha256)
            .Select(x => $"#{x.i}: {x.r.ReceivedLength} bytes").ToList();
        Assert.True(broken.Count == 0, $"{broken.Count} connections came back wrong: {string.Join(", ", broken)}; {Describe()}");
    }

    [Fact]
    public async Task Client_should_carry_udp_datagrams_from_a_socks5_udp_associate_through_a_real_server()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var (control, relay) = await Socks5.UdpAssociateAsync(client.Port("socks", 0, "aes-128-gcm"), cts.Token);
        using var _ = control;
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(relay);
        for (var i = 0; i < 5; i++)
        {
            var payload = Payloads.Random(900 + i * 100, seed: 700 + i);

            var reply = await UdpRetry.SendUntilAnsweredAsync(udp, Socks5.UdpDatagram(client.UdpEcho.EndPoint, payload), cts.Token);

            var (source, echoed) = Socks5.ParseUdpReply(reply);
            Assert.Equal(client.UdpEcho.EndPoint, source);
            Assert.True(payload.AsSpan().SequenceEqual(echoed), $"datagram {i} came back as {echoed.Length} different bytes; {Describe()}");
        }
    }

    [Fact]
    public async Task Client_should_carry_udp_datagrams_from_dokodemo_door_through_a_real_server()
    {
        using var cts = new CancellationTokenSource(Timeout);
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(IPAddress.Loopback, client.DokodemoUdpPort);
        for (var i = 0; i < 5; i++)
        {
            var datagram = Payloads.Random(1000 + i * 100, seed: 800 + i);

            var reply = await UdpRetry.SendUntilAnsweredAsync(udp, datagram, cts.Token);

            Assert.True(datagram.AsSpan().SequenceEqual(reply), $"datagram {i} came back as {reply.Length} different bytes; {Describe()}");
        }
    }

    [Fact]
    public async Task A_udp_peer_keeps_its_association_until_it_idles_and_then_gets_a_new_one()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var inbound = client.Node.Relay.Inbounds.Single(i => i.EndPoint.Port == client.DokodemoUdpPort);
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(IPAddress.Loopback, client.DokodemoUdpPort);
        var datagram = Payloads.Random(600, seed: 900);

        Assert.Equal(datagram, await UdpRetry.SendUntilAnsweredAsync(udp, datagram, cts.Token));
        Assert.Equal(datagram, await UdpRetry.SendUntilAnsweredAsync(udp, datagram, cts.Token));
        Assert.Equal(1, inbound.OpenConnections.Count);
        await Waits.UntilAsync(() => inbound.OpenConnections.Count == 0, cts.Token);

        Assert.Equal(datagram, await UdpRetry.SendUntilAnsweredAsync(udp, datagram, cts.Token));
        Assert.Equal(1, inbound.OpenConnections.Count);
    }

    private string Describe()
    {
        var counters = client.Node.Rejections.Snapshot();
        var rejections = counters.Count == 0 ? "none" : string.Join(", ", counters.Select(c => $"{c.Key}={c.Value}"));
        return $"node rejections: {rejections}; server output:\n{client.ServerOutput}";
    }
}
