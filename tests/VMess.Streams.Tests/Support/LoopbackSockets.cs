using System.Net;
using System.Net.Sockets;

namespace VMess.Streams.Tests.Support;

/// <summary>The socket steps the specs play by hand: dialling a target as the connection actor would, reading a peer to its end.</summary>
internal static class LoopbackSockets
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    public static async Task<Socket> DialAsync(IPEndPoint target, SocketType type = SocketType.Stream)
    {
        var socket = new Socket(AddressFamily.InterNetwork, type, type == SocketType.Stream ? ProtocolType.Tcp : ProtocolType.Udp);
        await socket.ConnectAsync(target);
        return socket;
    }

    /// <summary>Everything the peer sends until it closes (at most 10 s).</summary>
    public static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var cts = new CancellationTokenSource(ReadTimeout);
        var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0) all.Write(buffer, 0, n);
        return all.ToArray();
    }
}
