using System.Net;
using System.Net.Sockets;
using VMess.Testing;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// A real v2ray 4.34 client (dokodemo-door -> vmess) in front of our node, echo servers behind it: every byte must
/// come back, for AEAD and legacy auth and every security the client offers, over TCP and UDP, one at a time and
/// 200 at once.
/// </summary>
public sealed class RealClientTransferSpec(RealClientRelayFixture relay) : IClassFixture<RealClientRelayFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<int, string> AuthAndSecurity() => new()
    {
        { 0, "aes-128-gcm" }, { 0, "chacha20-poly1305" }, { 0, "none" }, { 0, "auto" },
        { 4, "aes-128-gcm" }, { 4, "chacha20-poly1305" }, { 4, "none" }, { 4, "auto" },
    };

    [Theory, MemberData(nameof(AuthAndSecurity))]
    public async Task Node_should_relay_a_real_client_tcp_stream_both_ways(int alterId, string security)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var seed = alterId * 31 + security.Length;
        var payload = Payloads.Random(3 * 1024 * 1024, seed);

        var received = await Support.Tcp.RoundTripAsync(relay.TcpPort(alterId, security), payload, cts.Token);

        Assert.True(Payloads.Sha256Hex(payload) == Payloads.Sha256Hex(received),
            $"seed {seed}: {received.Length} of {payload.Length} bytes came back; rejections {Describe(relay.Node.Rejections.Snapshot())}\n{relay.ClientOutput}");
    }

    [Fact]
    public async Task Node_should_relay_200_concurrent_real_client_connections_each_intact()
    {
        using var cts = new CancellationTokenSource(Timeout);
        const int Connections = 200;
        var port = relay.TcpPort(0, "aes-128-gcm");
        var payloads = Enumerable.Range(0, Connections).Select(i => Payloads.Random(32 * 1024 + i, seed: 1000 + i)).ToArray();

        var received = await Task.WhenAll(payloads.Select(p => Support.Tcp.RoundTripAsync(port, p, cts.Token)));

        var broken = Enumerable.Range(0, Connections)
            .Where(i => Payloads.Sha256Hex(payloads[i]) != Payloads.Sha256Hex(received[i]))
            .Select(i => $"#{i} (seed {1000 + i}): {received[i].Length} of {payloads[i].Length} bytes")
            .ToList();
        Assert.True(broken.Count == 0, $"{broken.Count} connections came back wrong: {string.Join(", ", broken)}; echo accepted {relay.TcpEcho.AcceptedConnections}; rejections {Describe(relay.Node.Rejections.Snapshot())}\n{string.Join("\n", relay.ClientOutput.Split('\n').Where(l => !l.Contains(" accepted ")))}");
    }

    [Fact]
    public async Task Node_should_relay_real_client_udp_datagrams_to_the_echo_server_and_back()
    {
        using var cts = new CancellationTokenSource(Timeout);
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(IPAddress.Loopback, relay.UdpPort);
        for (var i = 0; i < 5; i++)
        {
            var datagram = Payloads.Random(1000 + i * 100, seed: 500 + i);

            var reply = await UdpRetry.SendUntilAnsweredAsync(udp, datagram, cts.Token);

            Assert.True(datagram.AsSpan().SequenceEqual(reply), $"datagram {i} (seed {500 + i}) came back as {reply.Length} different bytes");
        }
    }

    private static string Describe(IReadOnlyDictionary<string, long> counters) =>
        counters.Count == 0 ? "none" : string.Join(", ", counters.Select(c => $"{c.Key}={c.Value}"));
}
