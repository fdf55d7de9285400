using VMess.Protocol.Addresses;

namespace VMess.Protocol.Mux;

/// <summary>
/// The metadata of one Mux.Cool frame. In V2Ray 4.34 only a <see cref="MuxSessionStatus.New"/> frame carries
/// <see cref="Network"/> and <see cref="Target"/>; on every other status they are <see cref="MuxNetwork.None"/>
/// and <c>null</c>, and the encoder does not write them (UDP <see cref="MuxSessionStatus.Keep"/> frames included).
/// </summary>
public readonly record struct MuxFrameMetadata(
    ushort SessionId,
    MuxSessionStatus Status,
    MuxOptions Option = MuxOptions.None,
    MuxNetwork Network = MuxNetwork.None,
    DestinationAddress? Target = null)
{
    /// <summary>Whether a data block follows the metadata.</summary>
    public bool HasData => (Option & MuxOptions.Data) != 0;

    public static MuxFrameMetadata New(ushort sessionId, MuxNetwork network, DestinationAddress target, MuxOptions option = MuxOptions.None) =>
        new(sessionId, MuxSessionStatus.New, option, network, target);

    public static MuxFrameMetadata Keep(ushort sessionId, MuxOptions option = MuxOptions.None) =>
        new(sessionId, MuxSessionStatus.Keep, option);

    public static MuxFrameMetadata End(ushort sessionId, MuxOptions option = MuxOptions.None) =>
        new(sessionId, MuxSessionStatus.End, option);

    public static MuxFrameMetadata KeepAlive(ushort sessionId, MuxOptions option = MuxOptions.None) =>
        new(sessionId, MuxSessionStatus.KeepAlive, option);
}
