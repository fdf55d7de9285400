namespace VMess.Protocol.Mux;

/// <summary>The option bits of a Mux.Cool frame. Bits other than these are kept as read and ignored, as V2Ray does.</summary>
[Flags]
public enum MuxOptions : byte
{
    None = 0x00,

    /// <summary>A data block, <c>length(2, big-endian) | data</c>, follows the metadata.</summary>
    Data = 0x01,

    /// <summary>On an <see cref="MuxSessionStatus.End"/> frame: the session ended with an error.</summary>
    Error = 0x02,
}
