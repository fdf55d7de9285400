namespace VMess.Protocol.Mux;

/// <summary>The network byte of a <see cref="MuxSessionStatus.New"/> frame (V2Ray's <c>TargetNetwork</c>).</summary>
public enum MuxNetwork : byte
{
    /// <summary>Not on the wire: the value of every frame other than <see cref="MuxSessionStatus.New"/>.</summary>
    None = 0x00,

    Tcp = 0x01,

    Udp = 0x02,
}
