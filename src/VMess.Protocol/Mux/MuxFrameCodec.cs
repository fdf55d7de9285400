using System.Buffers;
using System.Buffers.Binary;
using VMess.Protocol.Addresses;

namespace VMess.Protocol.Mux;

/// <summary>
/// Mux.Cool frames as V2Ray 4.34 writes and reads them (<c>common/mux/frame.go</c>):
/// <code>
/// metaLen(2, BE) | sessionId(2, BE) | status(1) | option(1)
///                | [New only: network(1) | port(2, BE) | addressType(1) | address]
/// [option has Data: dataLength(2, BE) | data]
/// </code>
/// <c>metaLen</c> counts the metadata after itself.
/// </summary>
public static class MuxFrameCodec
{
    /// <summary>The largest <c>metaLen</c> V2Ray accepts.</summary>
    public const int MaxMetadataLength = 512;

    /// <summary>The smallest <c>metaLen</c> V2Ray accepts: session id, status and option.</summary>
    public const int MinMetadataLength = 4;

    /// <summary>The smallest <c>metaLen</c> of a <see cref="MuxSessionStatus.New"/> frame V2Ray accepts.</summary>
    public const int MinNewMetadataLength = 8;

    /// <summary>The largest data block: its length is a uint16, and V2Ray's stream reader enforces nothing smaller.</summary>
    public const int MaxDataLength = ushort.MaxValue;

    /// <summary>
    /// The largest data block V2Ray's packet reader (UDP sessions) accepts (<c>buf.Size</c>). The codec does not
    /// know a session's network, so the caller enforces this.
    /// </summary>
    public const int MaxPacketDataLength = 2048;

    private const int LengthPrefixSize = 2;

    /// <summary>The bytes <see cref="EncodeFrame"/> writes for this metadata and <paramref name="dataLength"/> bytes of data.</summary>
    public static int GetEncodedLength(in MuxFrameMetadata meta, int dataLength)
    {
        Validate(meta, dataLength);
        return LengthPrefixSize + GetMetadataLength(meta) + (meta.HasData ? LengthPrefixSize + dataLength : 0);
    }

    /// <summary>Writes <c>metaLen | metadata</c> and returns the bytes written; the data block, if any, is the caller's.</summary>
    public static int EncodeMetadata(in MuxFrameMetadata meta, Span<byte> destination)
    {
        Validate(meta, dataLength: 0);
        var metaLength = GetMetadataLength(meta);
        var total = LengthPrefixSize + metaLength;
        if (destination.Length < total)
        {
            throw new ArgumentException($"The destination needs {total} bytes.", nameof(destination));
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)metaLength);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], meta.SessionId);
        destination[4] = (byte)meta.Status;
        destination[5] = (byte)meta.Option;
        if (meta.Status == MuxSessionStatus.New)
        {
            destination[6] = (byte)meta.Network;
            AddressCodec.Encode(meta.Target!, destination[7..]);
        }
        return total;
    }

    /// <summary>
    /// Writes a whole frame and returns the bytes written. With <see cref="MuxOptions.Data"/> the data block follows
    /// (an empty one is written as length 0); without it <paramref name="data"/> must be empty.
    /// </summary>
    public static int EncodeFrame(in MuxFrameMetadata meta, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var total = GetEncodedLength(meta, data.Length);
        if (destination.Length < total)
        {
            throw new ArgumentException($"The destination needs {total} bytes.", nameof(destination));
        }
        var written = EncodeMetadata(meta, destination);
        if (meta.HasData)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[written..], (ushort)data.Length);
            data.CopyTo(destination[(written + LengthPrefixSize)..]);
        }
        return total;
    }

    /// <summary>
    /// Reads one frame from the start of <paramref name="source"/>.
    /// <list type="bullet">
    /// <item><see cref="OperationStatus.Done"/>: the whole frame is <paramref name="bytesConsumed"/> bytes; its data
    /// is <c>source.Slice(dataOffset, dataLength)</c> (length 0 without <see cref="MuxOptions.Data"/>).</item>
    /// <item><see cref="OperationStatus.NeedMoreData"/>: the frame is incomplete; nothing is consumed.</item>
    /// <item><see cref="OperationStatus.InvalidData"/> with <see cref="DecodeError.InvalidMuxFrame"/>: V2Ray would
    /// drop the connection. A bad <c>metaLen</c> is reported as soon as the prefix is read.</item>
    /// </list>
    /// Like V2Ray, it ignores metadata bytes after the fields the status defines, and option bits it does not know.
    /// </summary>
    public static OperationStatus DecodeFrame(
        ReadOnlySpan<byte> source,
        out MuxFrameMetadata meta,
        out int dataOffset,
        out int dataLength,
        out int bytesConsumed,
        out DecodeError error)
    {
        meta = default;
        dataOffset = 0;
        dataLength = 0;
        bytesConsumed = 0;
        error = DecodeError.None;

        if (source.Length < LengthPrefixSize)
        {
            return OperationStatus.NeedMoreData;
        }
        int metaLength = BinaryPrimitives.ReadUInt16BigEndian(source);
        if (metaLength is > MaxMetadataLength or < MinMetadataLength)
        {
            return Invalid(out error);
        }
        var metaEnd = LengthPrefixSize + metaLength;
        if (source.Length < metaEnd)
        {
            return OperationStatus.NeedMoreData;
        }

        var status = DecodeMetadata(source[LengthPrefixSize..metaEnd], out var decoded);
        if (status != OperationStatus.Done)
        {
            return Invalid(out error);
        }

        var frameEnd = metaEnd;
        var offset = metaEnd;
        var length = 0;
        if (decoded.HasData)
        {
            if (source.Length < metaEnd + LengthPrefixSize)
            {
                return OperationStatus.NeedMoreData;
            }
            length = BinaryPrimitives.ReadUInt16BigEndian(source[metaEnd..]);
            offset = metaEnd + LengthPrefixSize;
            frameEnd = offset + length;
            if (source.Length < frameEnd)
            {
                return OperationStatus.NeedMoreData;
            }
        }

        meta = decoded;
        dataOffset = offset;
        dataLength = length;
        bytesConsumed = frameEnd;
        return OperationStatus.Done;
    }

    // Parses the metaLen bytes after the prefix, all present; anything but Done is a malformed frame.
    private static OperationStatus DecodeMetadata(ReadOnlySpan<byte> metadata, out MuxFrameMetadata meta)
    {
        meta = default;
        var sessionId = BinaryPrimitives.ReadUInt16BigEndian(metadata);
        var status = (MuxSessionStatus)metadata[2];
        var option = (MuxOptions)metadata[3];
        switch (status)
        {
            case MuxSessionStatus.Keep:
            case MuxSessionStatus.End:
            case MuxSessionStatus.KeepAlive:
                meta = new MuxFrameMetadata(sessionId, status, option);
                return OperationStatus.Done;
            case MuxSessionStatus.New:
                break;
            default:
                // frame.go parses it; both workers' handleFrame then fail the connection on the unknown status.
                return OperationStatus.InvalidData;
        }

        if (metadata.Length < MinNewMetadataLength)
        {
            return OperationStatus.InvalidData;
        }
        var network = (MuxNetwork)metadata[4];
        // An address running past metaLen is malformed, not incomplete: the metadata is all there is.
        if (AddressCodec.Decode(metadata[5..], out var target, out _, out _) != OperationStatus.Done
            || network is not (MuxNetwork.Tcp or MuxNetwork.Udp))
        {
            return OperationStatus.InvalidData;
        }
        meta = new MuxFrameMetadata(sessionId, status, option, network, target);
        return OperationStatus.Done;
    }

    private static OperationStatus Invalid(out DecodeError error)
    {
        error = DecodeError.InvalidMuxFrame;
        return OperationStatus.InvalidData;
    }

    private static int GetMetadataLength(in MuxFrameMetadata meta) =>
        MinMetadataLength + (meta.Status == MuxSessionStatus.New ? 1 + AddressCodec.GetEncodedLength(meta.Target!) : 0);

    private static void Validate(in MuxFrameMetadata meta, int dataLength)
    {
        if (meta.Status is < MuxSessionStatus.New or > MuxSessionStatus.KeepAlive)
        {
            throw new ArgumentException($"Unknown session status {meta.Status}.", nameof(meta));
        }
        if (meta.Status == MuxSessionStatus.New
            && (meta.Target is null || meta.Network is not (MuxNetwork.Tcp or MuxNetwork.Udp)))
        {
            throw new ArgumentException("A New frame needs a TCP or UDP network and a target.", nameof(meta));
        }
        if (dataLength is < 0 or > MaxDataLength)
        {
            throw new ArgumentOutOfRangeException(nameof(dataLength), dataLength, $"A Mux.Cool data block is 0–{MaxDataLength} bytes.");
        }
        if (!meta.HasData && dataLength != 0)
        {
            throw new ArgumentException("Data needs the Data option.", nameof(dataLength));
        }
    }
}
