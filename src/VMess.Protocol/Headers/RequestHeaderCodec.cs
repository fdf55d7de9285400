using System.Buffers;
using System.Buffers.Binary;
using VMess.Protocol.Addresses;
using VMess.Protocol.Crypto;

namespace VMess.Protocol.Headers;

/// <summary>
/// The request header plaintext: Ver | IV(16) | Key(16) | V | Opt | Pad(4 bit)‖Sec(4 bit) | 0 | Cmd |
/// [Port | AddrType | Addr] | padding(0–15) | FNV-1a(all previous bytes).
/// </summary>
public static class RequestHeaderCodec
{
    public const int FixedSize = 38;
    public const int ChecksumSize = 4;
    public const int MaxPadding = 15;
    public const int MaxEncodedLength = FixedSize + AddressCodec.MaxEncodedLength + MaxPadding + ChecksumSize;

    public static int GetEncodedLength(RequestHeader header, int paddingLength) =>
        FixedSize + AddressLength(header) + paddingLength + ChecksumSize;

    /// <summary>Writes the plaintext header; <paramref name="padding"/> (0–15 random bytes) goes before the checksum.</summary>
    public static int Encode(RequestHeader header, ReadOnlySpan<byte> padding, Span<byte> destination)
    {
        if (padding.Length > MaxPadding) throw new ArgumentOutOfRangeException(nameof(padding), "At most 15 bytes of padding.");
        if (header.Command != RequestCommand.Mux && header.Destination is null)
        {
            throw new ArgumentException("A TCP or UDP request needs a destination.", nameof(header));
        }
        destination[0] = header.Version;
        header.BodyIv.AsSpan(0, RequestHeader.KeySize).CopyTo(destination[1..]);
        header.BodyKey.AsSpan(0, RequestHeader.KeySize).CopyTo(destination[17..]);
        destination[33] = header.ResponseAuth;
        destination[34] = (byte)header.Options;
        destination[35] = (byte)((padding.Length << 4) | ((byte)header.Security & 0x0F));
        destination[36] = 0;
        destination[37] = (byte)header.Command;
        var offset = FixedSize;
        if (header.Command != RequestCommand.Mux)
        {
            offset += AddressCodec.Encode(header.Destination!, destination[offset..]);
        }
        padding.CopyTo(destination[offset..]);
        offset += padding.Length;
        BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], Fnv1a.Hash(destination[..offset]));
        return offset + ChecksumSize;
    }

    /// <summary>
    /// Reads a plaintext header. Checks run in V2Ray's order (checksum, then address, then security), with two
    /// additions: version must be 1, and global padding without masking (a V2Ray 4.34 panic) is refused.
    /// </summary>
    public static OperationStatus Decode(ReadOnlySpan<byte> source, out RequestHeader? header, out int bytesConsumed, out DecodeError error)
    {
        header = null;
        bytesConsumed = 0;
        error = DecodeError.None;
        if (source.Length < FixedSize) return OperationStatus.NeedMoreData;

        var paddingLength = source[35] >> 4;
        var command = (RequestCommand)source[37];
        DestinationAddress? destination = null;
        var offset = FixedSize;
        var addressError = DecodeError.None;
        switch (command)
        {
            case RequestCommand.Tcp:
            case RequestCommand.Udp:
                var status = AddressCodec.Decode(source[FixedSize..], out destination, out var addressLength, out addressError);
                if (status == OperationStatus.NeedMoreData) return status;
                if (status != OperationStatus.Done)
                {
                    error = addressError;
                    return OperationStatus.InvalidData;
                }
                offset += addressLength;
                break;
            case RequestCommand.Mux:
                break;
            default:
                addressError = DecodeError.UnknownCommand;
                break;
        }

        var total = offset + paddingLength + ChecksumSize;
        if (source.Length < total) return OperationStatus.NeedMoreData;
        var checksumAt = offset + paddingLength;
        if (BinaryPrimitives.ReadUInt32BigEndian(source[checksumAt..]) != Fnv1a.Hash(source[..checksumAt]))
        {
            error = DecodeError.BadChecksum;
            return OperationStatus.InvalidData;
        }
        if (addressError != DecodeError.None)
        {
            error = addressError;
            return OperationStatus.InvalidData;
        }
        if (source[0] != RequestHeader.CurrentVersion)
        {
            error = DecodeError.UnsupportedVersion;
            return OperationStatus.InvalidData;
        }
        var security = ParseSecurity((byte)(source[35] & 0x0F));
        if (security is SecurityType.Unknown or SecurityType.Auto)
        {
            error = DecodeError.UnknownSecurity;
            return OperationStatus.InvalidData;
        }
        var options = (RequestOptions)source[34];
        if (options.HasFlag(RequestOptions.GlobalPadding) && !options.HasFlag(RequestOptions.ChunkMasking))
        {
            error = DecodeError.InvalidOptions;
            return OperationStatus.InvalidData;
        }

        header = new RequestHeader
        {
            Version = source[0],
            BodyIv = source.Slice(1, RequestHeader.KeySize).ToArray(),
            BodyKey = source.Slice(17, RequestHeader.KeySize).ToArray(),
            ResponseAuth = source[33],
            Options = options,
            Security = security,
            Command = command,
            Destination = destination,
        };
        bytesConsumed = total;
        return OperationStatus.Done;
    }

    private static SecurityType ParseSecurity(byte nibble) => nibble switch
    {
        0 => SecurityType.Legacy, // V2Ray reads 0 as legacy, for backward compatibility
        <= (byte)SecurityType.None => (SecurityType)nibble,
        _ => SecurityType.Unknown,
    };

    private static int AddressLength(RequestHeader header) =>
        header.Command == RequestCommand.Mux ? 0 : AddressCodec.GetEncodedLength(header.Destination!);
}
