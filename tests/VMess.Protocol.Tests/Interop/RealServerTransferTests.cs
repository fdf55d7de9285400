using System.Buffers;
using System.Net;
using System.Net.Sockets;
using VMess.Protocol.Addresses;
using VMess.Protocol.Body;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;
using VMess.Protocol.Sessions;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Protocol.Tests.Interop;

/// <summary>
/// Our encoder as the client, the real v2ray 4.34 server in the middle, an echo server behind it: every byte must
/// come back, for AEAD and legacy auth, every body security the server reads, and the option bits.
/// </summary>
public sealed class RealServerTransferTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const RequestOptions Smp = RequestOptions.ChunkStream | RequestOptions.ChunkMasking | RequestOptions.GlobalPadding;

    public static TheoryData<int, SecurityType, RequestOptions> Cases() => new()
    {
        { 0, SecurityType.Aes128Gcm, Smp }, { 0, SecurityType.ChaCha20Poly1305, Smp },
        { 0, SecurityType.None, RequestOptions.ChunkStream | RequestOptions.ChunkMasking }, { 0, SecurityType.None, RequestOptions.None },
        { 0, SecurityType.Legacy, RequestOptions.ChunkStream }, { 0, SecurityType.Aes128Gcm, RequestOptions.ChunkStream },
        { 4, SecurityType.Aes128Gcm, Smp }, { 4, SecurityType.ChaCha20Poly1305, RequestOptions.ChunkStream | RequestOptions.ChunkMasking },
        { 4, SecurityType.None, RequestOptions.ChunkStream }, { 4, SecurityType.Legacy, RequestOptions.ChunkStream | RequestOptions.ChunkMasking },
        { 4, SecurityType.Legacy, RequestOptions.None },
    };

    [Theory, MemberData(nameof(Cases))]
    public async Task Real_v2ray_server_should_carry_our_client_stream_both_ways(int alterId, SecurityType security, RequestOptions options)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var id = VMessUserId.NewRandom();
        await using var echo = new TcpEchoServer();
        var serverPort = FreePort.Tcp();
        await using var server = await V2RayProcess.StartAsync(
            V2RayConfigs.Server(serverPort, [(id.ToString(), alterId, "user@test")]), [serverPort], output, cts.Token);
        var payload = Payloads.Random(3 * 1024 * 1024, seed: alterId + (int)security * 7 + (int)options);

        var received = await RoundTripAsync(new ClientAccount(id, (ushort)alterId, security), options, RequestCommand.Tcp,
            DestinationAddress.FromIp(IPAddress.Loopback, (ushort)echo.Port), serverPort, payload, cts.Token);

        Assert.True(Payloads.Sha256Hex(payload) == Payloads.Sha256Hex(received), $"{received.Length} of {payload.Length} bytes came back; {server.Output}");
    }

    [Theory]
    [InlineData(SecurityType.Aes128Gcm)]
    [InlineData(SecurityType.ChaCha20Poly1305)]
    public async Task Real_v2ray_server_should_read_our_chunks_past_the_16_bit_nonce_wrap(SecurityType security)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var id = VMessUserId.NewRandom();
        await using var echo = new TcpEchoServer();
        var serverPort = FreePort.Tcp();
        await using var server = await V2RayProcess.StartAsync(
            V2RayConfigs.Server(serverPort, [(id.ToString(), 0, "user@test")]), [serverPort], output, cts.Token);
        // 128-byte chunks carry 46 bytes each with S+M+P: 4 MiB is ~91,000 chunks, well past 65,536.
        var payload = Payloads.Random(4 * 1024 * 1024, seed: 65536);

        var received = await RoundTripAsync(new ClientAccount(id, 0, security), Smp, RequestCommand.Tcp,
            DestinationAddress.FromIp(IPAddress.Loopback, (ushort)echo.Port), serverPort, payload, cts.Token, maxChunkSize: ChunkCodecFactory.MinChunkSize);

        Assert.True(Payloads.Sha256Hex(payload) == Payloads.Sha256Hex(received), $"{received.Length} of {payload.Length} bytes came back; {server.Output}");
    }

    [Theory]
    [InlineData(0, SecurityType.Aes128Gcm)]
    [InlineData(4, SecurityType.ChaCha20Poly1305)]
    [InlineData(0, SecurityType.None)]
    public async Task Real_v2ray_server_should_answer_our_client_udp_datagrams(int alterId, SecurityType security)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var id = VMessUserId.NewRandom();
        await using var echo = new UdpEchoServer();
        var serverPort = FreePort.Tcp();
        await using var server = await V2RayProcess.StartAsync(
            V2RayConfigs.Server(serverPort, [(id.ToString(), alterId, "user@test")]), [serverPort], output, cts.Token);
        var account = new ClientAccount(id, (ushort)alterId, security);
        var session = new ClientSession(account, RequestHeader.CreateRandom(CryptoRandomSource.Instance, RequestCommand.Udp,
            DestinationAddress.FromIp(IPAddress.Loopback, (ushort)echo.Port), account.Security, account.DefaultOptions));
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, serverPort, cts.Token);
        var stream = tcp.GetStream();
        using var encoder = SessionBodies.CreateRequestEncoder(session, CryptoRandomSource.Instance);
        var datagrams = Enumerable.Range(0, 5).Select(i => Payloads.Random(1000, seed: i)).ToArray();
        var request = new byte[ClientSession.MaxRequestLength + 5 * encoder.GetMaxEncodedLength(1000)];
        var length = session.EncodeRequest(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), CryptoRandomSource.Instance, request);
        foreach (var datagram in datagrams) length += encoder.EncodePacket(datagram, request.AsSpan(length));
        await stream.WriteAsync(request.AsMemory(0, length), cts.Token);

        var replies = new List<byte[]>();
        var (responseBody, rest) = await ReadResponseHeaderAsync(stream, session, cts.Token);
        using (responseBody)
        {
            await BodyPump.DecodeAsync(stream, rest, responseBody, p =>
            {
                replies.Add(p.ToArray());
                if (replies.Count == datagrams.Length) tcp.Client.Shutdown(SocketShutdown.Both);
                return ValueTask.CompletedTask;
            }, cts.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        Assert.Equal(datagrams, replies);
    }

    private static async Task<byte[]> RoundTripAsync(ClientAccount account, RequestOptions options, RequestCommand command,
        DestinationAddress destination, int serverPort, byte[] payload, CancellationToken ct, int maxChunkSize = ChunkCodecFactory.DefaultMaxChunkSize)
    {
        var session = new ClientSession(account, RequestHeader.CreateRandom(CryptoRandomSource.Instance, command, destination, account.Security, options));
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, serverPort, ct);
        var stream = tcp.GetStream();
        var request = new byte[ClientSession.MaxRequestLength];
        var length = session.EncodeRequest(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), CryptoRandomSource.Instance, request);
        await stream.WriteAsync(request.AsMemory(0, length), ct);
        using var encoder = SessionBodies.CreateRequestEncoder(session, CryptoRandomSource.Instance, maxChunkSize);
        var send = BodyPump.EncodeAsync(new MemoryStream(payload), encoder, stream, ct);

        var received = new MemoryStream();
        var (responseBody, rest) = await ReadResponseHeaderAsync(stream, session, ct);
        using (responseBody)
        {
            // An unframed body (no S) has no end-of-stream marker, so the reply is read to the expected length.
            await BodyPump.DecodeAsync(stream, rest, responseBody, async p =>
            {
                await received.WriteAsync(p, ct);
                if (received.Length >= payload.Length) tcp.Client.Shutdown(SocketShutdown.Receive);
            }, ct).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        await send;
        return received.ToArray();
    }

    private static async Task<(ChunkDecoder Decoder, ReadOnlyMemory<byte> Remainder)> ReadResponseHeaderAsync(NetworkStream stream, ClientSession session, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var count = 0;
        while (true)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(count), ct);
            if (n == 0) throw new EndOfStreamException("the server closed before its response header");
            count += n;
            var status = session.DecodeResponse(buffer.AsSpan(0, count), out _, out var consumed, out var error);
            if (status == OperationStatus.InvalidData) throw new InvalidDataException(error.Describe());
            if (status == OperationStatus.Done)
            {
                return (SessionBodies.CreateResponseDecoder(session, buffer.AsSpan(0, consumed)), buffer.AsMemory(consumed, count - consumed));
            }
        }
    }
}
