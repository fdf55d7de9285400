using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text;
using VMess.Protocol.Addresses;

namespace VMess.ProxyProtocols.Socks;

/// <summary>
/// The SOCKS5 address-then-port encoding (RFC 1928, section 5): type (1: IPv4, 3: domain, 4: IPv6) | address |
/// port (2, big-endian). Note the type bytes and the order differ from VMess's <see cref="AddressCodec"/>.
/// </summary>
public static class SocksAddressCodec
{
    public const byte IPv4Type = 0x01;
    public const byte DomainType = 0x03;
    public const byte IPv6Type = 0x04;

    public const int MaxEncodedLength = 1 + 1 + 255 + 2;

    /// <summary>
    /// Reads one address. <see cref="OperationStatus.NeedMoreData"/> leaves <paramref name="bytesConsumed"/> at 0; an
    /// unknown type, an empty domain or one outside V2Ray's alphabet is <see cref="OperationStatus.InvalidData"/>.
    /// </summary>
    public static OperationStatus Decode(ReadOnlySpan<byte> source, out DestinationAddress? address, out int bytesConsumed)
    {
        address = null;
        bytesConsumed = 0;
        if (source.IsEmpty) return OperationStatus.NeedMoreData;
        int length;
        switch (source[0])
        {
            case IPv4Type:
                length = 1 + 4 + 2;
                if (source.Length < length) return OperationStatus.NeedMoreData;
                address = HostNames.FromIp(new IPAddress(source.Slice(1, 4)), BinaryPrimitives.ReadUInt16BigEndian(source[5..]));
                break;
            case IPv6Type:
                length = 1 + 16 + 2;
                if (source.Length < length) return OperationStatus.NeedMoreData;
                address = HostNames.FromIp(new IPAddress(source.Slice(1, 16)), BinaryPrimitives.ReadUInt16BigEndian(source[17..]));
                break;
            case DomainType:
                if (source.Length < 2) return OperationStatus.NeedMoreData;
                var domainLength = source[1];
                if (domainLength == 0) return OperationStatus.InvalidData;
                length = 2 + domainLength + 2;
                if (source.Length < length) return OperationStatus.NeedMoreData;
                address = HostNames.Parse(source.Slice(2, domainLength), BinaryPrimitives.ReadUInt16BigEndian(source[(2 + domainLength)..]));
                if (address is null) return OperationStatus.InvalidData;
                break;
            default:
                return OperationStatus.InvalidData;
        }
        bytesConsumed = length;
        return OperationStatus.Done;
    }

    public static int GetEncodedLength(DestinationAddress address) => address.Type switch
    {
        AddressType.IPv4 => 1 + 4 + 2,
        AddressType.IPv6 => 1 + 16 + 2,
        _ => 1 + 1 + Encoding.ASCII.GetByteCount(address.Domain!) + 2,
    };

    /// <summary>Writes <paramref name="address"/>; <paramref name="destination"/> must hold <see cref="GetEncodedLength"/> bytes.</summary>
    public static int Encode(DestinationAddress address, Span<byte> destination)
    {
        int written;
        switch (address.Type)
        {
            case AddressType.IPv4:
            case AddressType.IPv6:
                destination[0] = address.Type == AddressType.IPv4 ? IPv4Type : IPv6Type;
                address.Ip!.TryWriteBytes(destination[1..], out var ipLength);
                written = 1 + ipLength;
                break;
            default:
                destination[0] = DomainType;
                var domainLength = Encoding.ASCII.GetBytes(address.Domain!, destination[2..]);
                destination[1] = (byte)domainLength;
                written = 2 + domainLength;
                break;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination[written..], address.Port);
        return written + 2;
    }

    /// <summary>Writes an IP endpoint, as the handshake replies carry one.</summary>
    public static int Encode(IPEndPoint endpoint, Span<byte> destination) =>
        Encode(HostNames.FromIp(endpoint.Address, (ushort)endpoint.Port), destination);
}
