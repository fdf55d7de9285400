using System.Net;
using System.Net.Sockets;

namespace VMess.Streams.Tests.Support;

/// <summary>
/// Two connected loopback sockets: <see cref="Stage"/> goes to the stage under test, the spec talks through
/// <see cref="Peer"/>. Disposing closes whatever the stage left open.
/// </summary>
internal sealed class SocketPair(Socket stage, Socket peer) : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public Socket Stage { get; } = stage;

    public Socket Peer { get; } = peer;

    public static async Task<SocketPair> TcpAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepted = listener.AcceptAsync();
        await peer.ConnectAsync(listener.LocalEndPoint!);
        return new SocketPair(await accepted.WaitAsync(Timeout), peer);
    }

    public static SocketPair Udp()
    {
        var stage = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stage.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        stage.Connect(peer.LocalEndPoint!);
        peer.Connect(stage.LocalEndPoint!);
        return new SocketPair(stage, peer);
    }

    public async Task SendAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Timeout);
        for (var sent = 0; sent < bytes.Length;)
        {
            sent += await Peer.SendAsync(bytes.AsMemory(sent), SocketFlags.None, cts.Token);
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes; throws at end of stream or after the timeout.</summary>
    public async Task<byte[]> ReceiveExactlyAsync(int count)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var n = await Peer.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cts.Token);
            if (n == 0) throw new EndOfStreamException($"end of stream after {read} of {count} bytes");
            read += n;
        }
        return buffer;
    }

    /// <summary>What one receive returns: a datagram on UDP, 0 bytes at a TCP end of stream.</summary>
    public async Task<byte[]> ReceiveOnceAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var buffer = new byte[65536];
        var n = await Peer.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return buffer[..n];
    }

    public void Dispose()
    {
        Stage.Dispose();
        Peer.Dispose();
    }
}
