using System.Net.Sockets;
using System.Threading.Channels;
using VMess.Testing;

namespace VMess.Relay.Tests.Support;

/// <summary>
/// A TCP server on 127.0.0.1 (ephemeral port) that answers only after the request ended: it reads each connection
/// to end of stream, then sends its fixed reply and closes. It records what each connection sent.
/// </summary>
internal sealed class ReplyAfterEofServer : IAsyncDisposable
{
    private readonly byte[] _reply;
    private readonly Channel<byte[]> _requests = Channel.CreateUnbounded<byte[]>();
    private readonly LoopbackTcpServer _server;

    public ReplyAfterEofServer(byte[] reply)
    {
        _reply = reply;
        _server = new LoopbackTcpServer(ServeAsync, backlog: 16);
    }

    public int Port => _server.Port;

    /// <summary>The request of the next connection that reached its end of stream (and was answered).</summary>
    public async Task<byte[]> NextRequestAsync(CancellationToken ct) => await _requests.Reader.ReadAsync(ct);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ServeAsync(Socket connection, CancellationToken stop)
    {
        var request = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await connection.ReceiveAsync(buffer, SocketFlags.None, stop)) > 0)
        {
            request.Write(buffer, 0, read);
        }

        await Tcp.SendAllAsync(connection, _reply, stop);
        connection.Shutdown(SocketShutdown.Send);
        _requests.Writer.TryWrite(request.ToArray());
    }
}
