using System.Net;
using System.Net.Sockets;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Protocol.Tests.Interop;

/// <summary>Captures the raw bytes a real v2ray 4.34 client sends for one proxied TCP connection or UDP datagram.</summary>
internal static class CapturedV2RayRequest
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static async Task<byte[]> CaptureAsync(string userId, int alterId, string security, bool udp, byte[] firstPayload,
        int minBytes, ITestOutputHelper output)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var capture = new CapturingListener();
        var localPort = FreePort.TcpAndUdp();
        var config = V2RayConfigs.Client(localPort, "127.0.0.1", 9, capture.Port, userId, alterId, security, udp ? "udp" : "tcp");
        await using var client = await V2RayProcess.StartAsync(config, udp ? [] : [localPort], output, cts.Token);
        if (udp)
        {
            await client.WaitForUdpPortsAsync([localPort], Timeout, cts.Token);
            using var socket = new UdpClient(AddressFamily.InterNetwork);
            await socket.SendAsync(firstPayload, new IPEndPoint(IPAddress.Loopback, localPort), cts.Token);
            return await capture.NextConnectionBytesAsync(minBytes, Timeout, cts.Token);
        }
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, localPort, cts.Token);
        await tcp.GetStream().WriteAsync(firstPayload, cts.Token);
        return await capture.NextConnectionBytesAsync(minBytes, Timeout, cts.Token);
    }
}
