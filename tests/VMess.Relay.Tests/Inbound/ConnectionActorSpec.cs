using System.Net;
using Akka.TestKit.Xunit2;
using Microsoft.Extensions.Time.Testing;
using VMess.Protocol;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;
using VMess.Relay.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Relay.Tests.Inbound;

/// <summary>
/// One connection through the node, driven by the test client on our codec (which, unlike the v2ray 4.34 client,
/// keeps reading after it half-closed): half-close, the access log, and the clock-skew rejection. The node's clock is
/// a <see cref="FakeTimeProvider"/> at a fixed instant, and the client writes its own timestamps.
/// </summary>
public sealed class ConnectionActorSpec(ITestOutputHelper output) : TestKit(output: output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset NodeTime = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(NodeTime);

    private long ClientNow => _clock.GetUtcNow().ToUnixTimeSeconds();

    [Fact]
    public async Task Connection_should_deliver_the_whole_reply_after_the_client_half_closed()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var user = NodeUser.Aead("halfclose@test");
        var node = TestNode.Start(Sys, NodeConfigs.Json([user]), _clock);
        var request = Payloads.Random(100 * 1024, seed: 80);
        var reply = Payloads.Random(300 * 1024, seed: 81);
        await using var target = new ReplyAfterEofServer(reply);

        var received = await VMessTestClient.ExchangeAsync(node.Port, user.Id, SecurityType.Aes128Gcm, To(target.Port), request, ClientNow, cts.Token);
        var requestAtTarget = await target.NextRequestAsync(cts.Token);

        Assert.Equal(Payloads.Sha256Hex(request), Payloads.Sha256Hex(requestAtTarget));
        Assert.True(received.HeaderReceived, "no response header");
        Assert.True(Payloads.Sha256Hex(reply) == Payloads.Sha256Hex(received.Payload),
            $"seed 81: {received.Payload.Length} of {reply.Length} reply bytes arrived");
        Assert.True(received.EndOfStream, "the reply did not end with an end-of-stream chunk");
        Assert.True(received.CleanClose, "the node did not close cleanly (FIN) after the end-of-stream chunk");
    }

    [Fact]
    public async Task Connection_should_write_an_access_line_when_accepted()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var user = NodeUser.Aead("logged@test");
        var node = TestNode.Start(Sys, NodeConfigs.Json([user]), _clock);
        await using var echo = new TcpEchoServer();

        var received = await VMessTestClient.ExchangeAsync(node.Port, user.Id, SecurityType.ChaCha20Poly1305, To(echo.Port),
            Payloads.Random(1024, seed: 82), ClientNow, cts.Token);

        Assert.True(received.EndOfStream, "the exchange did not complete");
        var record = Assert.Single(node.AccessLog.Records);
        Assert.True(record.Accepted);
        Assert.Equal(NodeTime, record.Time);
        Assert.StartsWith("127.0.0.1:", record.From);
        Assert.Equal($"tcp:127.0.0.1:{echo.Port}", record.To);
        Assert.Equal("logged@test", record.Email);
        Assert.EndsWith($" accepted tcp:127.0.0.1:{echo.Port} email: logged@test", record.ToString());
    }

    [Fact]
    public async Task Connection_should_reject_a_known_user_with_a_skewed_clock_and_say_by_how_much()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var user = NodeUser.Aead("skewed@test");
        var node = TestNode.Start(Sys, NodeConfigs.Json([user]), _clock);
        await using var echo = new TcpEchoServer();

        // The client's clock is an hour behind the node's.
        var received = await VMessTestClient.ExchangeAsync(node.Port, user.Id, SecurityType.Aes128Gcm, To(echo.Port),
            Payloads.Random(1024, seed: 83), ClientNow - 3600, cts.Token);
        await AwaitAssertAsync(() => Assert.Single(node.AccessLog.Records), TimeSpan.FromSeconds(10));

        Assert.False(received.HeaderReceived, "a skewed client was answered");
        var record = Assert.Single(node.AccessLog.Records);
        Assert.False(record.Accepted);
        Assert.Equal("user skewed@test's clock is off by -3600 s", record.Reason);
        Assert.Equal(1, node.Rejections[DecodeError.ClockSkew]);
        Assert.Equal(0, echo.AcceptedConnections);
    }

    private static DestinationAddress To(int port) => DestinationAddress.FromIp(IPAddress.Loopback, (ushort)port);
}
