namespace VMess.Protocol.Mux;

/// <summary>The status byte of a Mux.Cool frame (V2Ray's <c>SessionStatus</c>).</summary>
public enum MuxSessionStatus : byte
{
    /// <summary>Opens a session; the only status whose metadata carries a network and a target.</summary>
    New = 0x01,

    /// <summary>Continues an open session, usually carrying data.</summary>
    Keep = 0x02,

    /// <summary>Closes a session, abruptly when <see cref="MuxOptions.Error"/> is set.</summary>
    End = 0x03,

    /// <summary>Keeps the connection alive; any data it carries is discarded by the peer.</summary>
    KeepAlive = 0x04,
}
