using Akka.TestKit.Xunit2;
using VMess.Relay.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// 160 MiB each way between a real v2ray 4.34 client and our node, in 2 KiB chunks on both sides: more than 65,536
/// chunks per direction, so both body ciphers wrap their 16-bit chunk counter, as V2Ray's do.
/// </summary>
public sealed class RealClientNonceWrapSpec(ITestOutputHelper output) : TestKit(output: output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task Node_should_carry_160_MiB_each_way_past_the_chunk_nonce_wrap()
    {
        const long Length = 160L * 1024 * 1024;
        const int Seed = 65536;
        using var cts = new CancellationTokenSource(Timeout);
        var user = NodeUser.Aead("wrap@test");
        // V2Ray writes 2 KiB chunks; the node's response chunks are made as small, so the downlink also passes 65,536 chunks.
        var node = TestNode.Start(Sys, NodeConfigs.Json([user]), limits: RelayLimits.Default with { ResponseChunkSize = 2048 });
        await using var echo = new TcpEchoServer();
        var localPort = FreePort.Tcp();
        await using var client = await V2RayProcess.StartAsync(
            ClientRoute.ClientConfig([new ClientRoute(localPort, echo.Port, node.Port, user, "aes-128-gcm")]), [localPort], Output, cts.Token);

        var (sent, received, receivedLength) = await Support.Tcp.StreamRoundTripAsync(localPort, Length, Seed, cts.Token);

        Assert.True(sent == received, $"seed {Seed}: {receivedLength} of {Length} bytes came back, or different ones");
    }
}
