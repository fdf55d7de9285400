using System.Net;
using Akka.Streams;
using Akka.Streams.Dsl;
using VMess.Configuration.Options;
using VMess.Protocol;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;
using VMess.Relay.Outbound;
using VMess.Streams;
using VMess.Streams.Buffers;
using VMess.Streams.Stages;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// The VMess outbound against two real v2ray 4.34 servers, each knowing only its own user: dials alternate between
/// them, and each dialled session carries a stream through its server to an echo server and back. Never skipped.
/// </summary>
public sealed class RealServerVMessOutboundSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _output;

    public RealServerVMessOutboundSpec(ITestOutputHelper output) : base(output: output)
    {
        _output = output;
    }

    [Theory]
    [InlineData(0, SecurityType.Aes128Gcm)]
    [InlineData(4, SecurityType.Auto)]
    public async Task Dialled_sessions_should_round_robin_over_two_real_servers_and_carry_each_stream(ushort alterId, SecurityType security)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var echo = new TcpEchoServer();
        var (firstId, secondId) = (VMessUserId.NewRandom(), VMessUserId.NewRandom());
        var (firstPort, secondPort) = (FreePort.Tcp(), FreePort.Tcp());
        await using var first = await V2RayProcess.StartAsync(
            V2RayConfigs.Server(firstPort, [(firstId.ToString(), alterId, "first@test")]), [firstPort], _output, cts.Token);
        await using var second = await V2RayProcess.StartAsync(
            V2RayConfigs.Server(secondPort, [(secondId.ToString(), alterId, "second@test")]), [secondPort], _output, cts.Token);
        var outbound = new VMessOutbound("proxy", new VMessOutboundSettings([
                new VMessServer("127.0.0.1", firstPort, [new VMessOutboundUser(firstId, alterId, security, 0, null)]),
                new VMessServer("127.0.0.1", secondPort, [new VMessOutboundUser(secondId, alterId, security, 0, null)])]),
            TimeSpan.FromSeconds(5), TimeProvider.System, CryptoRandomSource.Instance);
        var target = DestinationAddress.FromIp(IPAddress.Loopback, (ushort)echo.Port);

        var servers = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            var dial = await outbound.DialServerAsync(target, RequestCommand.Tcp, cts.Token);
            servers.Add(dial.Server.Port);
            var payload = Payloads.Random(512 * 1024, seed: i);

            var echoed = await RoundTripAsync(dial.Connection, payload).WaitAsync(cts.Token);

            Assert.True(Payloads.Sha256Hex(payload) == Payloads.Sha256Hex(echoed),
                $"dial {i} via {dial.Server.Port}: {echoed.Length} of {payload.Length} bytes came back\n{first.Output}\n{second.Output}");
        }
        Assert.Equal([firstPort, secondPort, firstPort, secondPort], servers);
    }

    // The payload through the client session over the dialled socket; v2ray does not pass the half-close on to the
    // echo server, so reading stops once every byte is back.
    private async Task<byte[]> RoundTripAsync(OutboundConnection connection, byte[] payload)
    {
        var pool = ChunkPools.Create();
        var received = new MemoryStream();
        var settings = new ClientSessionSettings(pool, CryptoRandomSource.Instance, TimeProvider.System);
        var (link, done) = Source.From(payload.Chunk(16 * 1024))
            .Select(bytes => ByteChunk.CopyOf(pool, bytes))
            .ViaMaterialized(VMessFlows.ClientSession(settings)
                .JoinMat(VMessFlows.Socket(connection.Socket, new SocketStageSettings(pool, 64 * 1024)), Keep.Left), Keep.Right)
            .Select(chunk =>
            {
                using (chunk) received.Write(chunk.Span);
                return received.Length;
            })
            .TakeWhile(length => length < payload.Length, inclusive: true)
            .ToMaterialized(Sink.Ignore<long>(), Keep.Both)
            .Run(Sys.Materializer());
        link.Start(connection.Session!);
        await link.Response;
        await done;
        return received.ToArray();
    }
}
