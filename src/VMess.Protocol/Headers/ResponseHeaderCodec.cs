using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using VMess.Protocol.Crypto;
using VMess.Protocol.Ids;

namespace VMess.Protocol.Headers;

/// <summary>
/// The response header plaintext: V | Opt | CmdId | CmdLen | [FNV-1a(content) | content]. SwitchAccount content:
/// hostLen | host | port(2) | id(16) | alterIds(2) | level | validMinutes.
/// </summary>
public static class ResponseHeaderCodec
{
    public const int FixedSize = 4;
    public const byte SwitchAccountCommandId = 1;
    public const int MaxEncodedLength = FixedSize + 255;

    public static int GetEncodedLength(ResponseHeader header) =>
        FixedSize + (header.Command is null ? 0 : 4 + CommandContentLength(header.Command));

    public static int Encode(ResponseHeader header, Span<byte> destination)
    {
        destination[0] = header.ResponseAuth;
        destination[1] = header.Options;
        if (header.Command is not { } command)
        {
            destination[2] = 0;
            destination[3] = 0;
            return FixedSize;
        }
        var contentLength = CommandContentLength(command);
        if (4 + contentLength > 255) throw new ArgumentException("The command is longer than 255 bytes.", nameof(header));
        destination[2] = SwitchAccountCommandId;
        destination[3] = (byte)(4 + contentLength);
        var content = destination.Slice(FixedSize + 4, contentLength);
        var host = command.Host ?? "";
        content[0] = (byte)Encoding.ASCII.GetBytes(host, content[1..]);
        var offset = 1 + content[0];
        BinaryPrimitives.WriteUInt16BigEndian(content[offset..], command.Port);
        command.Id.WriteBytes(content[(offset + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(content[(offset + 18)..], command.AlterIds);
        content[offset + 20] = command.Level;
        content[offset + 21] = command.ValidMinutes;
        BinaryPrimitives.WriteUInt32BigEndian(destination[FixedSize..], Fnv1a.Hash(content));
        return FixedSize + 4 + contentLength;
    }

    /// <summary>
    /// Reads a plaintext response header. As V2Ray's client does, a command that fails its checksum or is unknown is
    /// dropped (the connection goes on without it); <paramref name="commandError"/> says why.
    /// </summary>
    public static OperationStatus Decode(ReadOnlySpan<byte> source, out ResponseHeader? header, out int bytesConsumed, out DecodeError commandError)
    {
        header = null;
        bytesConsumed = 0;
        commandError = DecodeError.None;
        if (source.Length < FixedSize) return OperationStatus.NeedMoreData;
        var length = source[2] == 0 ? FixedSize : FixedSize + source[3];
        if (source.Length < length) return OperationStatus.NeedMoreData;
        SwitchAccountCommand? command = null;
        if (source[2] != 0 && !TryDecodeCommand(source[2], source[FixedSize..length], out command))
        {
            commandError = DecodeError.InvalidCommand;
        }
        header = new ResponseHeader(source[0], source[1], command);
        bytesConsumed = length;
        return OperationStatus.Done;
    }

    private static bool TryDecodeCommand(byte id, ReadOnlySpan<byte> data, out SwitchAccountCommand? command)
    {
        command = null;
        if (id != SwitchAccountCommandId || data.Length <= 4) return false;
        var content = data[4..];
        if (BinaryPrimitives.ReadUInt32BigEndian(data) != Fnv1a.Hash(content)) return false;
        var hostLength = content[0];
        var offset = 1 + hostLength;
        if (content.Length < offset + 22) return false;
        var host = hostLength == 0 ? null : Encoding.ASCII.GetString(content.Slice(1, hostLength));
        command = new SwitchAccountCommand(host, BinaryPrimitives.ReadUInt16BigEndian(content[offset..]),
            VMessUserId.FromBytes(content.Slice(offset + 2, VMessUserId.Size)),
            BinaryPrimitives.ReadUInt16BigEndian(content[(offset + 18)..]), content[offset + 20], content[offset + 21]);
        return true;
    }

    private static int CommandContentLength(SwitchAccountCommand command) =>
        1 + Encoding.ASCII.GetByteCount(command.Host ?? "") + 2 + VMessUserId.Size + 2 + 1 + 1;
}
