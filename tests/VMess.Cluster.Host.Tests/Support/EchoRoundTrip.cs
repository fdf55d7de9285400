using System.Net;
using System.Net.Sockets;

namespace VMess.Cluster.Host.Tests.Support;

internal static class EchoRoundTrip
{
    /// <summary>
    /// Sends the payload and reads the echo at once, keeping the send side open until every byte is back. A FIN
    /// right after the payload starts the v2ray client's own uplink-only/downlink-only timers (2 s / 5 s in 4.34),
    /// and a node answering its first connection cold on a CPU-starved machine was seen to take longer than that.
    /// Returns what came back: fewer bytes when the node refused (closed while the payload was still going).
    /// </summary>
    public static async Task<byte[]> RunAsync(int port, byte[] payload, CancellationToken ct)
    {
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, port, ct);
        var stream = tcp.GetStream();
        var send = stream.WriteAsync(payload, ct).AsTask();
        var received = new byte[payload.Length];
        var count = 0;
        while (count < received.Length)
        {
            var n = await stream.ReadAsync(received.AsMemory(count), ct);
            if (n == 0) break;
            count += n;
        }
        try
        {
            await send;
        }
        catch (IOException) when (count < received.Length)
        {
            // refused: the node closed while the payload was still going
        }
        return received[..count];
    }
}
