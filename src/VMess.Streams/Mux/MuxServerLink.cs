namespace VMess.Streams.Mux;

/// <summary>
/// The control-plane handle of a VMess connection whose request is Mux.Cool, handed over with the accepted handshake.
/// The connection's stage holds the frames back until <see cref="Start"/> names the host that opens sub-connections.
/// </summary>
public sealed class MuxServerLink
{
    private readonly Action<IMuxSessionHost> _start;
    private int _started;
    private volatile bool _stopped;

    internal MuxServerLink(Action<IMuxSessionHost> start) => _start = start;

    /// <summary>Starts reading frames. Safe from any thread; ignored once the connection has stopped. A second call throws.</summary>
    public void Start(IMuxSessionHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (Interlocked.Exchange(ref _started, 1) == 1) throw new InvalidOperationException("The mux server was already started.");
        if (!_stopped) _start(host);
    }

    internal void OnStopped() => _stopped = true;
}
