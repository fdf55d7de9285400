using System.Net.Sockets;
using VMess.Testing;

namespace VMess.Relay.Tests.Support;

/// <summary>
/// A TCP server on 127.0.0.1 (ephemeral port) for transfers of known size each way: it reads exactly
/// <c>requestLength</c> bytes, answers its fixed reply, half-closes and reads on until the client closes. Unlike an
/// echo, the two directions differ in size, so a count on the wrong side shows.
/// </summary>
internal sealed class FixedExchangeServer : IAsyncDisposable
{
    private readonly int _requestLength;
    private readonly byte[] _reply;
    private readonly LoopbackTcpServer _server;

    public FixedExchangeServer(int requestLength, byte[] reply)
    {
        _requestLength = requestLength;
        _reply = reply;
        _server = new LoopbackTcpServer(ServeAsync);
    }

    public int Port => _server.Port;

    public int RequestLength => _requestLength;

    public int ReplyLength => _reply.Length;

    /// <summary>Sends a request of the server's size from <paramref name="seed"/> and reads the reply until the server closes.</summary>
    public static async Task<int> ExchangeAsync(int port, int requestLength, int seed, CancellationToken ct)
    {
        using var socket = await Tcp.ConnectAsync(port, ct);
        await Tcp.SendAllAsync(socket, Payloads.Random(requestLength, seed), ct);
        var reply = await Tcp.ReadUntilClosedAsync(socket, ct);
        return reply.Bytes.Length;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ServeAsync(Socket connection, CancellationToken stop)
    {
        var buffer = new byte[64 * 1024];
        for (var received = 0; received < _requestLength;)
        {
            var read = await connection.ReceiveAsync(buffer.AsMemory(0, Math.Min(buffer.Length, _requestLength - received)), SocketFlags.None, stop);
            if (read == 0) return;
            received += read;
        }
        await Tcp.SendAllAsync(connection, _reply, stop);
        connection.Shutdown(SocketShutdown.Send);
        while (await connection.ReceiveAsync(buffer, SocketFlags.None, stop) > 0)
        {
        }
    }
}
