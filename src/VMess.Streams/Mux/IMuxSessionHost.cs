using VMess.Protocol.Addresses;
using VMess.Protocol.Mux;

namespace VMess.Streams.Mux;

/// <summary>
/// What a Mux.Cool connection asks of the control plane: open each sub-connection (dial it through the outbound,
/// time, log and count it), and hear about the sessions it refuses or ends. Called on the mux connection's stream
/// thread, so an implementation only materializes, counts, logs and sends messages.
/// </summary>
public interface IMuxSessionHost
{
    /// <summary>Sessions one mux connection may hold open at once; a New frame beyond them is answered with End.</summary>
    int MaxSessions { get; }

    /// <summary>
    /// How long the connection waits, reading nothing more, for a session whose uplink is full to make room before
    /// that session is ended (End with the error option) and the others go on.
    /// </summary>
    TimeSpan SessionStallTimeout { get; }

    /// <summary>
    /// Starts the sub-connection for a New frame and returns the port its data goes through, or null when the
    /// host refuses it (it counted and logged why); the client is then told End with the error option.
    /// </summary>
    MuxSessionPort? Open(MuxSessionRequest request);

    /// <summary>A New frame came while <see cref="MaxSessions"/> sessions were open; it is answered with End.</summary>
    void SessionLimitReached(MuxSessionRequest request);

    /// <summary>
    /// A session's target did not take its uplink while the client kept sending: <paramref name="bufferedBytes"/>
    /// were waiting, the next frame would pass the port's limit, and no room came within
    /// <see cref="SessionStallTimeout"/>. Mux.Cool has no flow control, so the session is ended with an error rather
    /// than stalling every other session of the connection.
    /// </summary>
    void SessionOverflowed(MuxSessionRequest request, long bufferedBytes);
}

/// <summary>One sub-connection a client opened: its session id, TCP or UDP, and its target.</summary>
public readonly record struct MuxSessionRequest(ushort SessionId, MuxNetwork Network, DestinationAddress Target)
{
    public override string ToString() => $"{(Network == MuxNetwork.Udp ? "udp" : "tcp")}:{Target}";
}
