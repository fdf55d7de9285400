using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace VMess.Protocol.Addresses;

/// <summary>
/// Port-then-address encoding used by the VMess request header and Mux.Cool:
/// port (2, big-endian) | type (1) | IPv4 (4) / domain length (1) + domain / IPv6 (16).
/// </summary>
public static class AddressCodec
{
    public const int MaxEncodedLength = 2 + 1 + 1 + 255;

    public static int GetEncodedLength(DestinationAddress address) => 3 + address.Type switch
    {
        AddressType.IPv4 => 4,
        AddressType.IPv6 => 16,
        _ => 1 + Encoding.ASCII.GetByteCount(address.Domain!),
    };

    public static int Encode(DestinationAddress address, Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, address.Port);
        destination[2] = (byte)address.Type;
        switch (address.Type)
        {
            case AddressType.IPv4:
            case AddressType.IPv6:
                address.Ip!.TryWriteBytes(destination[3..], out var written);
                return 3 + written;
            default:
                var length = Encoding.ASCII.GetBytes(address.Domain!, destination[4..]);
                destination[3] = (byte)length;
                return 4 + length;
        }
    }

    /// <summary>
    /// Reads one address. <see cref="OperationStatus.NeedMoreData"/> leaves <paramref name="bytesConsumed"/> at 0;
    /// an unknown type or an empty domain is <see cref="OperationStatus.InvalidData"/> with <see cref="DecodeError.InvalidAddress"/>.
    /// </summary>
    public static OperationStatus Decode(ReadOnlySpan<byte> source, out DestinationAddress? address, out int bytesConsumed, out DecodeError error)
    {
        address = null;
        bytesConsumed = 0;
        error = DecodeError.None;
        if (source.Length < 3)
        {
            return OperationStatus.NeedMoreData;
        }
        var port = BinaryPrimitives.ReadUInt16BigEndian(source);
        int length;
        switch ((AddressType)source[2])
        {
            case AddressType.IPv4:
                length = 3 + 4;
                if (source.Length < length) return OperationStatus.NeedMoreData;
                address = DestinationAddress.FromIp(new IPAddress(source.Slice(3, 4)), port);
                break;
            case AddressType.IPv6:
                length = 3 + 16;
                if (source.Length < length) return OperationStatus.NeedMoreData;
                address = DestinationAddress.FromIp(new IPAddress(source.Slice(3, 16)), port);
                break;
            case AddressType.Domain:
                if (source.Length < 4) return OperationStatus.NeedMoreData;
                var domainLength = source[3];
                length = 4 + domainLength;
                if (domainLength == 0)
                {
                    error = DecodeError.InvalidAddress;
                    return OperationStatus.InvalidData;
                }
                if (source.Length < length) return OperationStatus.NeedMoreData;
                var domain = source.Slice(4, domainLength);
                var text = Encoding.ASCII.GetString(domain);
                // As V2Ray does, a "domain" that starts like an IP literal and parses as one becomes an IP address.
                // Go's ParseIP takes dotted-quad IPv4 and zone-less IPv6 only; .NET also takes "1", "127.1", "0x7f.0.0.1"
                // (inet_aton forms) and "%scope", which V2Ray treats as domain names.
                var literal = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
                if ((domain[0] == (byte)'[' || char.IsAsciiDigit((char)domain[0]))
                    && IPAddress.TryParse(literal, out var ip)
                    && (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? !literal.Contains('%') : ip.ToString() == literal))
                {
                    address = DestinationAddress.FromIp(ip, port);
                }
                else if (IsValidDomain(domain))
                {
                    address = DestinationAddress.FromDomain(text, port);
                }
                else
                {
                    error = DecodeError.InvalidAddress;
                    return OperationStatus.InvalidData;
                }
                break;
            default:
                error = DecodeError.InvalidAddress;
                return OperationStatus.InvalidData;
        }
        bytesConsumed = length;
        return OperationStatus.Done;
    }

    /// <summary>V2Ray's domain alphabet: ASCII letters and digits, '-', '.', '_'.</summary>
    private static bool IsValidDomain(ReadOnlySpan<byte> domain)
    {
        foreach (var c in domain)
        {
            if (!(char.IsAsciiLetterOrDigit((char)c) || c is (byte)'-' or (byte)'.' or (byte)'_')) return false;
        }
        return true;
    }
}
