using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace VMess.Testing.Tests;

public sealed class V2RayConfigsTests
{
    private const string UserId = "b831381d-6324-4d53-ad4f-8cda48b30811";
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _output;

    public V2RayConfigsTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(0, "aes-128-gcm")]
    [InlineData(4, "chacha20-poly1305")]
    public async Task Client_and_server_should_relay_1MiB_of_tcp_through_real_v2ray(int alterId, string security)
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var echo = new TcpEchoServer();
        var serverPort = FreePort.Tcp();
        var clientPort = FreePort.TcpAndUdp();
        await using var server = await V2RayProcess.StartAsync(
            V2RayConfigs.Server(serverPort, [(UserId, alterId, "user@test")]), [serverPort], _output, cts.Token);
        await using var client = await V2RayProcess.StartAsync(
            V2RayConfigs.Client(clientPort, "127.0.0.1", echo.Port, serverPort, UserId, alterId, security),
            [clientPort], _output, cts.Token);

        const int seed = 20240601;
        var payload = Payloads.Random(1024 * 1024, seed);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, clientPort), cts.Token);
        var sending = socket.SendAsync(payload, SocketFlags.None, cts.Token).AsTask();
        var received = await ReceiveExactlyAsync(socket, payload.Length, cts.Token);
        await sending;

        Assert.True(
            Payloads.Sha256Hex(payload) == Payloads.Sha256Hex(received),
            $"echo through v2ray differs from the payload (seed {seed}).\nserver:\n{server.Output}\nclient:\n{client.Output}");
    }

    [Fact]
    public async Task Client_and_server_should_relay_a_udp_datagram_through_real_v2ray()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var echo = new UdpEchoServer();
        var serverPort = FreePort.Tcp();
        var clientPort = FreePort.TcpAndUdp();
        await using var server = await V2RayProcess.StartAsync(
            V2RayConfigs.Server(serverPort, [(UserId, 0, "user@test")]), [serverPort], _output, cts.Token);
        await using var client = await V2RayProcess.StartAsync(
            V2RayConfigs.Client(clientPort, "127.0.0.1", echo.Port, serverPort, UserId, 0, "aes-128-gcm", network: "udp"),
            [], _output, cts.Token);
        await client.WaitForUdpPortsAsync([clientPort], V2RayProcess.StartupTimeout, cts.Token);

        const int seed = 7;
        var datagram = Payloads.Random(1200, seed);
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new IPEndPoint(IPAddress.Loopback, clientPort);
        var buffer = new byte[65536];
        int length = -1;
        for (var attempt = 0; attempt < 5 && length < 0; attempt++)
        {
            // UDP may be dropped while v2ray sets up the vmess connection: resend with a bounded wait.
            await udp.SendToAsync(datagram, SocketFlags.None, target, cts.Token);
            using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
            attemptCts.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                var result = await udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), attemptCts.Token);
                length = result.ReceivedBytes;
            }
            catch (OperationCanceledException) when (!cts.IsCancellationRequested)
            {
                _output.WriteLine($"attempt {attempt}: no echo yet");
            }
        }

        Assert.True(length >= 0, $"no UDP echo through v2ray.\nserver:\n{server.Output}\nclient:\n{client.Output}");
        Assert.Equal(Payloads.Sha256Hex(datagram), Payloads.Sha256Hex(buffer.AsSpan(0, length)));
    }

    private static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int length, CancellationToken ct)
    {
        var received = new byte[length];
        var total = 0;
        while (total < length)
        {
            var read = await socket.ReceiveAsync(received.AsMemory(total), SocketFlags.None, ct);
            if (read == 0)
            {
                throw new IOException($"connection closed after {total} of {length} bytes");
            }

            total += read;
        }

        return received;
    }
}
