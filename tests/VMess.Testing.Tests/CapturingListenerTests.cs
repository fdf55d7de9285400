using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace VMess.Testing.Tests;

public sealed class CapturingListenerTests
{
    // AEAD request: 16-byte AuthID + 18-byte sealed length + 8-byte connection nonce, then the sealed header.
    private const int AeadHeaderPrefix = 16 + 18 + 8;

    private readonly ITestOutputHelper _output;

    public CapturingListenerTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task NextConnectionBytes_should_capture_the_request_of_a_real_v2ray_client()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var capture = new CapturingListener();
        var clientPort = FreePort.TcpAndUdp();
        await using var client = await V2RayProcess.StartAsync(
            V2RayConfigs.Client(clientPort, "127.0.0.1", 9, capture.Port, "b831381d-6324-4d53-ad4f-8cda48b30811", 0,
                "aes-128-gcm", network: "tcp"),
            [clientPort], _output, cts.Token);

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, clientPort), cts.Token);
        await socket.SendAsync("hello"u8.ToArray(), SocketFlags.None, cts.Token);

        var bytes = await capture.NextConnectionBytesAsync(AeadHeaderPrefix, TimeSpan.FromSeconds(15), cts.Token);

        Assert.True(bytes.Length >= AeadHeaderPrefix, $"captured {bytes.Length} bytes.\nclient:\n{client.Output}");
        Assert.Equal(1, capture.AcceptedConnections);
    }
}
