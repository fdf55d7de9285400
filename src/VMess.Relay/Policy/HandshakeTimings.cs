namespace VMess.Relay.Policy;

/// <summary>
/// Where a node's VMess handshakes report how long their decoding (authentication) took: passed on to whoever
/// attached (the metrics' histogram), dropped while nobody has. One call per handshake, never per chunk.
/// </summary>
public sealed class HandshakeTimings
{
    private Action<TimeSpan, bool>? _listener;

    /// <summary>Receives every handshake's decoding time and whether it was accepted, on the connection's thread.</summary>
    public void Attach(Action<TimeSpan, bool> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        Volatile.Write(ref _listener, listener);
    }

    public void Detach() => Volatile.Write(ref _listener, null);

    public void Record(TimeSpan decoding, bool accepted) => Volatile.Read(ref _listener)?.Invoke(decoding, accepted);
}
