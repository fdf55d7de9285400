using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace VMess.Relay.Tests.Support;

/// <summary>
/// A TCP server on 127.0.0.1 (ephemeral port) that answers only after the request ended: it reads each connection
/// to end of stream, then sends its fixed reply and closes. It records what each connection sent.
/// </summary>
internal sealed class ReplyAfterEofServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly byte[] _reply;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<byte[]> _requests = Channel.CreateUnbounded<byte[]>();
    private readonly List<Socket> _connections = new();
    private readonly List<Task> _handlers = new();
    private readonly Task _acceptLoop;

    public ReplyAfterEofServer(byte[] reply)
    {
        _reply = reply;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>The request of the next connection that reached its end of stream (and was answered).</summary>
    public async Task<byte[]> NextRequestAsync(CancellationToken ct) => await _requests.Reader.ReadAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _listener.Dispose();
        Task[] handlers;
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }

            handlers = _handlers.ToArray();
        }

        await Task.WhenAll(handlers.Append(_acceptLoop));
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_connections)
            {
                _connections.Add(connection);
                _handlers.Add(ServeAsync(connection));
            }
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        try
        {
            var request = new MemoryStream();
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await connection.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                request.Write(buffer, 0, read);
            }

            await Tcp.SendAllAsync(connection, _reply, _stop.Token);
            connection.Shutdown(SocketShutdown.Send);
            _requests.Writer.TryWrite(request.ToArray());
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // reset by the node, or the server stopped
        }
        finally
        {
            connection.Dispose();
        }
    }
}
