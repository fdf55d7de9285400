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
    private readonly Socket _listener;
    private readonly byte _xorKey;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _connections = new();
    private readonly List<Task> _handlers = new();
    private readonly Task _acceptLoop;
    private int _accepted;

    /// <summary>Starts listening immediately.</summary>
    public TcpEchoServer(byte xorKey = 0)
    {
        _xorKey = xorKey;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>127.0.0.1 and the bound port.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The bound port.</summary>
    public int Port => EndPoint.Port;

    /// <summary>Connections accepted so far.</summary>
    public int AcceptedConnections => Volatile.Read(ref _accepted);

    /// <summary>Stops listening, closes every connection and waits for the handlers.</summary>
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

        await Task.WhenAll(handlers.Append(_acceptLoop)).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            connection.NoDelay = true;
            lock (_connections)
            {
                if (_stop.IsCancellationRequested)
                {
                    connection.Dispose();
                    return;
                }

                _connections.Add(connection);
                _handlers.Add(EchoAsync(connection));
            }
        }
    }

    private async Task EchoAsync(Socket connection)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await connection.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
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
                    sent += await connection.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, _stop.Token)
                        .ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // peer reset or server disposed
        }
        finally
        {
            lock (_connections)
            {
                _connections.Remove(connection);
            }

            connection.Dispose();
        }
    }
}
