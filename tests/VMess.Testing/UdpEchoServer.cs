using System.Net;
using System.Net.Sockets;

namespace VMess.Testing;

/// <summary>
/// UDP echo server on 127.0.0.1 (ephemeral port): every datagram goes back to its sender, XOR-ed with <c>xorKey</c>
/// (0, the default, echoes unchanged).
/// </summary>
public sealed class UdpEchoServer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly byte _xorKey;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _received;

    /// <summary>Binds and starts echoing immediately.</summary>
    public UdpEchoServer(byte xorKey = 0)
    {
        _xorKey = xorKey;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _loop = EchoLoopAsync();
    }

    /// <summary>127.0.0.1 and the bound port.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The bound port.</summary>
    public int Port => EndPoint.Port;

    /// <summary>Datagrams received so far.</summary>
    public int ReceivedDatagrams => Volatile.Read(ref _received);

    /// <summary>Stops echoing and closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _socket.Dispose();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task EchoLoopAsync()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _received);
                var length = result.ReceivedBytes;
                if (_xorKey != 0)
                {
                    for (var i = 0; i < length; i++)
                    {
                        buffer[i] ^= _xorKey;
                    }
                }

                await _socket.SendToAsync(buffer.AsMemory(0, length), SocketFlags.None, result.RemoteEndPoint, _stop.Token)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // e.g. ICMP port unreachable from a previous sender: keep serving
            }
        }
    }
}
