using System.Buffers;
using VMess.Protocol.Addresses;

namespace VMess.ProxyProtocols.Socks;

/// <summary>
/// The header of a SOCKS5 UDP datagram (RFC 1928, section 7): RSV (2) | FRAG (1) | address | port, then the data.
/// Like V2Ray, the reserved bytes are not checked, and fragments (FRAG != 0) are refused rather than reassembled.
/// </summary>
public static class SocksUdpHeader
{
    /// <summary>The smallest datagram V2Ray looks at.</summary>
    public const int MinLength = 5;

    public const int MaxLength = 3 + SocksAddressCodec.MaxEncodedLength;

    /// <summary>
    /// Reads the header of one whole datagram; the data is <c>datagram[headerLength..]</c>. A datagram is never
    /// incomplete, so a short one is <see cref="OperationStatus.InvalidData"/> (<see cref="SocksError.TruncatedDatagram"/>),
    /// as is a fragment (<see cref="SocksError.FragmentedDatagram"/>) and a bad address.
    /// </summary>
    public static OperationStatus Decode(ReadOnlySpan<byte> datagram, out DestinationAddress? destination, out int headerLength, out SocksError error)
    {
        destination = null;
        headerLength = 0;
        if (datagram.Length < MinLength)
        {
            error = SocksError.TruncatedDatagram;
            return OperationStatus.InvalidData;
        }
        if (datagram[2] != 0)
        {
            error = SocksError.FragmentedDatagram;
            return OperationStatus.InvalidData;
        }
        switch (SocksAddressCodec.Decode(datagram[3..], out destination, out var addressLength))
        {
            case OperationStatus.Done:
                headerLength = 3 + addressLength;
                error = SocksError.None;
                return OperationStatus.Done;
            case OperationStatus.NeedMoreData:
                error = SocksError.TruncatedDatagram;
                return OperationStatus.InvalidData;
            default:
                error = SocksError.InvalidAddress;
                return OperationStatus.InvalidData;
        }
    }

    public static int GetLength(DestinationAddress source) => 3 + SocksAddressCodec.GetEncodedLength(source);

    /// <summary>Writes the header of a datagram that comes from <paramref name="source"/>; the data follows it.</summary>
    public static int Encode(DestinationAddress source, Span<byte> destination)
    {
        destination[..3].Clear();
        return 3 + SocksAddressCodec.Encode(source, destination[3..]);
    }
}
