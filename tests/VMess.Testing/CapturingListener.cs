using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace VMess.Testing;

/// <summary>
/// A silent TCP listener on 127.0.0.1 (ephemeral port) that records what each accepted connection sends and never answers,
/// so a real v2ray client pointed at it sends its request and waits. Recording per connection stops when the peer closes
/// or after <c>maxBytesPerConnection</c>; connections stay open until dispose.
/// </summary>
public sealed class CapturingListener : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly int _maxBytesPerConnection;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<CapturedConnection> _accepted = Channel.CreateUnbounded<CapturedConnection>();
    private readonly List<CapturedConnection> _connections = new();
    private readonly Task _acceptLoop;

    /// <summary>Starts listening immediately.</summary>
    public CapturingListener(int maxBytesPerConnection = 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytesPerConnection);
        _maxBytesPerConnection = maxBytesPerConnection;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>127.0.0.1 and the bound port.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The bound port.</summary>
    public int Port => EndPoint.Port;

    /// <summary>Connections accepted so far.</summary>
    public int AcceptedConnections
    {
        get
        {
            lock (_connections)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>
    /// Takes the next not-yet-taken connection (in accept order) and returns its bytes once it has sent at least
    /// <paramref name="minBytes"/> (or closed, or reached the byte limit, with whatever it sent).
    /// Throws <see cref="TimeoutException"/> if no connection arrives or too few bytes arrive within <paramref name="timeout"/>.
    /// </summary>
    public async Task<byte[]> NextConnectionBytesAsync(int minBytes, TimeSpan timeout, CancellationToken ct = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        CapturedConnection? connection = null;
        try
        {
            connection = await _accepted.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
            return await connection.WaitForAsync(minBytes, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var detail = connection is null
                ? "no connection was accepted"
                : $"the connection sent only {connection.Snapshot().Length} bytes";
            throw new TimeoutException($"CapturingListener on {EndPoint}: wanted {minBytes} bytes within {timeout}, but {detail}.");
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(CapturingListener));
        }
    }

    /// <summary>Stops listening and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _listener.Dispose();
        _accepted.Writer.TryComplete();
        Task[] readers;
        lock (_connections)
        {
            readers = _connections.Select(c => c.Close()).ToArray();
        }

        await Task.WhenAll(readers.Append(_acceptLoop)).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_connections)
            {
                if (_stop.IsCancellationRequested)
                {
                    socket.Dispose();
                    return;
                }

                var connection = new CapturedConnection(socket, _maxBytesPerConnection, _stop.Token);
                _connections.Add(connection);
                _accepted.Writer.TryWrite(connection);
            }
        }
    }
}
