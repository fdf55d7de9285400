using System.Net.Sockets;

namespace VMess.Testing;

/// <summary>One connection accepted by <see cref="CapturingListener"/>: reads and records, never writes.</summary>
internal sealed class CapturedConnection
{
    private readonly Socket _socket;
    private readonly int _limit;
    private readonly object _gate = new();
    private readonly MemoryStream _bytes = new();
    private readonly Task _reader;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _finished;

    public CapturedConnection(Socket socket, int limit, CancellationToken stop)
    {
        _socket = socket;
        _limit = limit;
        _reader = ReadAsync(stop);
    }

    public byte[] Snapshot()
    {
        lock (_gate)
        {
            return _bytes.ToArray();
        }
    }

    public async Task<byte[]> WaitForAsync(int minBytes, CancellationToken ct)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_bytes.Length >= minBytes || _finished)
                {
                    return _bytes.ToArray();
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    public Task Close()
    {
        _socket.Dispose();
        return _reader;
    }

    private async Task ReadAsync(CancellationToken stop)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int room;
                lock (_gate)
                {
                    room = (int)Math.Min(buffer.Length, _limit - _bytes.Length);
                }

                if (room <= 0)
                {
                    return;
                }

                var read = await _socket.ReceiveAsync(buffer.AsMemory(0, room), SocketFlags.None, stop).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                Append(buffer.AsSpan(0, read));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // peer reset or listener disposed
        }
        finally
        {
            TaskCompletionSource changed;
            lock (_gate)
            {
                _finished = true;
                changed = _changed;
            }

            changed.TrySetResult();
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _bytes.Write(data);
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
