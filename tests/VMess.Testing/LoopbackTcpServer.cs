using System.Net;
using System.Net.Sockets;

namespace VMess.Testing;

/// <summary>
/// A TCP server on 127.0.0.1 (ephemeral port) that runs <c>serve</c> for every accepted connection. Disposing it
/// stops listening, closes every open connection and waits for the handlers. A handler that ends with a reset,
/// a cancellation or a closed socket just ends; the connection is disposed after it returns.
/// </summary>
public sealed class LoopbackTcpServer : IAsyncDisposable
{
    private readonly Func<Socket, CancellationToken, Task> _serve;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _connections = new();
    private readonly List<Task> _handlers = new();
    private readonly Task _acceptLoop;
    private int _accepted;

    /// <summary>Starts listening immediately.</summary>
    public LoopbackTcpServer(Func<Socket, CancellationToken, Task> serve, int backlog = 512)
    {
        _serve = serve;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(backlog);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>127.0.0.1 and the bound port.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The bound port.</summary>
    public int Port => EndPoint.Port;

    /// <summary>Connections accepted so far.</summary>
    public int AcceptedConnections => Volatile.Read(ref _accepted);

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
                _handlers.Add(ServeAsync(connection));
            }
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        try
        {
            await _serve(connection, _stop.Token).ConfigureAwait(false);
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
