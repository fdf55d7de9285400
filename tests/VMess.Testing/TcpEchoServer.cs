using System.Net;
using System.Net.Sockets;

namespace VMess.Testing;

/// <summary>
/// TCP echo server on 127.0.0.1 (ephemeral port). Every byte is sent back, XOR-ed with <c>xorKey</c>
/// (0, the default, echoes unchanged; V2Ray's scenario tests use a non-zero key). Serves many concurrent
/// connections and propagates half-close: when the peer shuts down its send side, the rest is echoed and then
/// this side's send is shut down too.
/// </summary>
public sealed class TcpEchoServer : IAsyncDisposable
{
    private readonly byte _xorKey;
    private readonly LoopbackTcpServer _server;

    /// <summary>Starts listening immediately.</summary>
    public TcpEchoServer(byte xorKey = 0)
    {
        _xorKey = xorKey;
        _server = new LoopbackTcpServer(EchoAsync);
    }

    /// <summary>127.0.0.1 and the bound port.</summary>
    public IPEndPoint EndPoint => _server.EndPoint;

    /// <summary>The bound port.</summary>
    public int Port => _server.Port;

    /// <summary>Connections accepted so far.</summary>
    public int AcceptedConnections => _server.AcceptedConnections;

    /// <summary>Stops listening, closes every connection and waits for the handlers.</summary>
    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task EchoAsync(Socket connection, CancellationToken stop)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await connection.ReceiveAsync(buffer, SocketFlags.None, stop).ConfigureAwait(false);
            if (read == 0)
            {
                connection.Shutdown(SocketShutdown.Send);
                return;
            }

            if (_xorKey != 0)
            {
                for (var i = 0; i < read; i++)
                {
                    buffer[i] ^= _xorKey;
                }
            }

            var sent = 0;
            while (sent < read)
            {
                sent += await connection.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, stop).ConfigureAwait(false);
            }
        }
    }
}
