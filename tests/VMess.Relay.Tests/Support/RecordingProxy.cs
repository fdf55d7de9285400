using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace VMess.Relay.Tests.Support;

/// <summary>
/// A TCP proxy on 127.0.0.1 (ephemeral port) in front of an upstream port: it forwards both ways, propagates
/// half-close, and records what each client sent upstream (the first <c>recordLimit</c> bytes), so a test can
/// replay a real client's handshake later.
/// </summary>
internal sealed class RecordingProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly int _upstreamPort;
    private readonly int _recordLimit;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<ProxiedConnection> _finished = Channel.CreateUnbounded<ProxiedConnection>();
    private readonly List<Socket> _sockets = new();
    private readonly List<Task> _pumps = new();
    private readonly Task _acceptLoop;

    public RecordingProxy(int upstreamPort, int recordLimit = 1024 * 1024)
    {
        _upstreamPort = upstreamPort;
        _recordLimit = recordLimit;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>The next connection to finish (both directions closed), in finishing order, with what its client sent.</summary>
    public async Task<byte[]> NextFinishedUpstreamBytesAsync(CancellationToken ct)
    {
        var connection = await _finished.Reader.ReadAsync(ct);
        return connection.Upstream.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _listener.Dispose();
        Task[] pumps;
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }

            pumps = _pumps.ToArray();
        }

        await Task.WhenAll(pumps.Append(_acceptLoop));
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_sockets)
            {
                _sockets.Add(client);
                _pumps.Add(ProxyAsync(client));
            }
        }
    }

    private async Task ProxyAsync(Socket client)
    {
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        lock (_sockets)
        {
            _sockets.Add(upstream);
        }

        var connection = new ProxiedConnection();
        try
        {
            await upstream.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _upstreamPort), _stop.Token);
            await Task.WhenAll(PumpAsync(client, upstream, connection.Upstream), PumpAsync(upstream, client, null));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped, or the upstream refused
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
            _finished.Writer.TryWrite(connection);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, MemoryStream? record)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                if (record is not null && record.Length < _recordLimit)
                {
                    record.Write(buffer, 0, (int)Math.Min(read, _recordLimit - record.Length));
                }

                await Tcp.SendAllAsync(to, buffer.AsMemory(0, read), _stop.Token);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // a reset on one side resets the other
            to.Dispose();
            from.Dispose();
        }
    }

    private sealed class ProxiedConnection
    {
        public MemoryStream Upstream { get; } = new();
    }
}
