using System.Buffers;
using System.Net;
using VMess.Protocol.Addresses;
using VMess.Protocol.Mux;

namespace VMess.Protocol.Tests.Mux;

public sealed class MuxFrameCodecTests
{
    private static readonly DestinationAddress Ipv4 = DestinationAddress.FromIp(IPAddress.Parse("127.0.0.1"), 80);
    private static readonly DestinationAddress Ipv6 = DestinationAddress.FromIp(IPAddress.Parse("2001:db8::1"), 8080);
    private static readonly DestinationAddress Domain = DestinationAddress.FromDomain("v2ray.com", 443);

    public static TheoryData<MuxFrameMetadata, byte[]> Frames() => new()
    {
        { MuxFrameMetadata.New(1, MuxNetwork.Tcp, Ipv4), [] },
        { MuxFrameMetadata.New(2, MuxNetwork.Tcp, Ipv6, MuxOptions.Data), [1, 2, 3] },
        { MuxFrameMetadata.New(3, MuxNetwork.Tcp, Domain, MuxOptions.Data), [] },
        { MuxFrameMetadata.New(4, MuxNetwork.Udp, Ipv4, MuxOptions.Data), [9] },
        { MuxFrameMetadata.New(5, MuxNetwork.Udp, Ipv6), [] },
        { MuxFrameMetadata.New(ushort.MaxValue, MuxNetwork.Udp, Domain, MuxOptions.Data), new byte[2048] },
        { MuxFrameMetadata.Keep(1), [] },
        { MuxFrameMetadata.Keep(1, MuxOptions.Data), [0xAA, 0xBB] },
        { MuxFrameMetadata.Keep(7, MuxOptions.Data), new byte[ushort.MaxValue] },
        { MuxFrameMetadata.End(1), [] },
        { MuxFrameMetadata.End(1, MuxOptions.Error), [] },
        { MuxFrameMetadata.End(1, MuxOptions.Data | MuxOptions.Error), [5, 6] },
        { MuxFrameMetadata.KeepAlive(0), [] },
        { MuxFrameMetadata.KeepAlive(0, MuxOptions.Data), [4] },
    };

    public static TheoryData<string, MuxFrameMetadata, byte[]> Golden() => new()
    {
        {
            // metaLen 12 | session 1 | New | Data | TCP | port 80 | IPv4 | 127.0.0.1 | dataLen 2 | "hi"
            "000C" + "0001" + "01" + "01" + "01" + "0050" + "01" + "7F000001" + "0002" + "6869",
            MuxFrameMetadata.New(1, MuxNetwork.Tcp, Ipv4, MuxOptions.Data), "hi"u8.ToArray()
        },
        {
            // metaLen 18 | session 0x1234 | New | no option | UDP | port 443 | domain | len 9 | "v2ray.com"
            "0012" + "1234" + "01" + "00" + "02" + "01BB" + "02" + "09" + "76327261792E636F6D",
            MuxFrameMetadata.New(0x1234, MuxNetwork.Udp, Domain), []
        },
        {
            // metaLen 24 | session 2 | New | no option | TCP | port 8080 | IPv6 | 2001:db8::1
            "0018" + "0002" + "01" + "00" + "01" + "1F90" + "03" + "20010DB8000000000000000000000001",
            MuxFrameMetadata.New(2, MuxNetwork.Tcp, Ipv6), []
        },
        {
            // metaLen 4 | session 1 | Keep | Data | dataLen 3 | AA BB CC  (no address on Keep, even for UDP)
            "0004" + "0001" + "02" + "01" + "0003" + "AABBCC",
            MuxFrameMetadata.Keep(1, MuxOptions.Data), [0xAA, 0xBB, 0xCC]
        },
        {
            // metaLen 4 | session 1 | End | Error
            "0004" + "0001" + "03" + "02",
            MuxFrameMetadata.End(1, MuxOptions.Error), []
        },
        {
            // metaLen 4 | session 0 | KeepAlive | no option
            "0004" + "0000" + "04" + "00",
            MuxFrameMetadata.KeepAlive(0), []
        },
        {
            // metaLen 4 | session 3 | Keep | Data | dataLen 0  (V2Ray's stream reader reads this as end of data)
            "0004" + "0003" + "02" + "01" + "0000",
            MuxFrameMetadata.Keep(3, MuxOptions.Data), []
        },
    };

    [Theory, MemberData(nameof(Frames))]
    public void Roundtrip_should_preserve_metadata_and_data(MuxFrameMetadata meta, byte[] data)
    {
        var frame = Encode(meta, data);

        var status = MuxFrameCodec.DecodeFrame(frame, out var decoded, out var offset, out var length, out var consumed, out var error);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(DecodeError.None, error);
        Assert.Equal(meta, decoded);
        Assert.Equal(frame.Length, consumed);
        Assert.Equal(data, frame.AsSpan(offset, length).ToArray());
    }

    [Theory, MemberData(nameof(Frames))]
    public void GetEncodedLength_should_match_bytes_written(MuxFrameMetadata meta, byte[] data)
    {
        var buffer = new byte[MuxFrameCodec.GetEncodedLength(meta, data.Length) + 8];

        Assert.Equal(MuxFrameCodec.GetEncodedLength(meta, data.Length), MuxFrameCodec.EncodeFrame(meta, data, buffer));
    }

    [Theory, MemberData(nameof(Golden))]
    public void EncodeFrame_should_write_V2Ray_layout(string hex, MuxFrameMetadata meta, byte[] data)
    {
        Assert.Equal(hex, Convert.ToHexString(Encode(meta, data)));
    }

    [Theory, MemberData(nameof(Golden))]
    public void DecodeFrame_should_read_V2Ray_layout(string hex, MuxFrameMetadata meta, byte[] data)
    {
        var frame = Convert.FromHexString(hex);

        var status = MuxFrameCodec.DecodeFrame(frame, out var decoded, out var offset, out var length, out var consumed, out _);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(meta, decoded);
        Assert.Equal(data, frame.AsSpan(offset, length).ToArray());
        Assert.Equal(frame.Length, consumed);
    }

    [Theory, MemberData(nameof(Golden))]
    public void EncodeMetadata_should_write_only_the_length_prefixed_metadata(string hex, MuxFrameMetadata meta, byte[] data)
    {
        var expected = Convert.FromHexString(hex);
        var metaLength = 2 + ((expected[0] << 8) | expected[1]);
        var buffer = new byte[metaLength];

        Assert.Equal(metaLength, MuxFrameCodec.EncodeMetadata(meta, buffer));
        Assert.Equal(expected.AsSpan(0, metaLength).ToArray(), buffer);
        Assert.Equal(meta.HasData ? 2 + data.Length : 0, expected.Length - metaLength);
    }

    [Theory, MemberData(nameof(Frames))]
    public void DecodeFrame_should_return_NeedMoreData_for_every_truncated_prefix(MuxFrameMetadata meta, byte[] data)
    {
        var frame = Encode(meta, data);

        for (var n = 0; n < frame.Length; n++)
        {
            var status = MuxFrameCodec.DecodeFrame(frame.AsSpan(0, n), out _, out _, out _, out var consumed, out var error);

            Assert.True(status == OperationStatus.NeedMoreData, $"prefix {n} of {frame.Length}: {status}");
            Assert.Equal(0, consumed);
            Assert.Equal(DecodeError.None, error);
        }
    }

    [Fact]
    public void DecodeFrame_should_read_frames_back_to_back_from_one_buffer()
    {
        var frames = new (MuxFrameMetadata Meta, byte[] Data)[]
        {
            (MuxFrameMetadata.New(1, MuxNetwork.Tcp, Domain, MuxOptions.Data), [1, 2, 3]),
            (MuxFrameMetadata.New(2, MuxNetwork.Udp, Ipv6), []),
            (MuxFrameMetadata.Keep(1, MuxOptions.Data), [4, 5]),
            (MuxFrameMetadata.KeepAlive(0), []),
            (MuxFrameMetadata.Keep(2, MuxOptions.Data), [6]),
            (MuxFrameMetadata.End(1), []),
            (MuxFrameMetadata.End(2, MuxOptions.Error), []),
        };
        var buffer = frames.SelectMany(f => Encode(f.Meta, f.Data)).ToArray();

        var position = 0;
        foreach (var (meta, data) in frames)
        {
            var status = MuxFrameCodec.DecodeFrame(buffer.AsSpan(position), out var decoded, out var offset, out var length, out var consumed, out _);

            Assert.Equal(OperationStatus.Done, status);
            Assert.Equal(meta, decoded);
            Assert.Equal(data, buffer.AsSpan(position + offset, length).ToArray());
            position += consumed;
        }
        Assert.Equal(buffer.Length, position);
        Assert.Equal(OperationStatus.NeedMoreData, MuxFrameCodec.DecodeFrame(buffer.AsSpan(position), out _, out _, out _, out _, out _));
    }

    [Theory]
    [InlineData("0000")] // metaLen 0
    [InlineData("0003")] // metaLen 3: below session id, status and option
    [InlineData("0201")] // metaLen 513: above V2Ray's 512
    [InlineData("FFFF")]
    public void DecodeFrame_should_reject_metaLen_out_of_range_once_the_prefix_is_read(string hex)
    {
        AssertInvalid(hex);
    }

    [Theory]
    [InlineData("0004" + "0001" + "00" + "00")] // status 0
    [InlineData("0004" + "0001" + "05" + "00")] // status 5
    [InlineData("0004" + "0001" + "FF" + "01" + "0000")]
    public void DecodeFrame_should_reject_unknown_status(string hex)
    {
        AssertInvalid(hex);
    }

    [Theory]
    [InlineData("0004" + "0001" + "01" + "00")] // New without network or address
    [InlineData("0007" + "0001" + "01" + "00" + "01" + "0050" + "01")] // metaLen 7 < V2Ray's 8 for New
    [InlineData("0008" + "0001" + "01" + "00" + "01" + "0050" + "01" + "7F")] // IPv4 runs past metaLen
    [InlineData("000C" + "0001" + "01" + "00" + "03" + "0050" + "01" + "7F000001")] // network 3
    [InlineData("000C" + "0001" + "01" + "00" + "00" + "0050" + "01" + "7F000001")] // network 0
    [InlineData("000C" + "0001" + "01" + "00" + "01" + "0050" + "04" + "7F000001")] // address type 4
    [InlineData("000C" + "0001" + "01" + "00" + "01" + "0050" + "00" + "7F000001")] // address type 0
    [InlineData("0009" + "0001" + "01" + "00" + "01" + "0050" + "02" + "00")] // empty domain
    [InlineData("000A" + "0001" + "01" + "00" + "01" + "0050" + "02" + "05" + "6162")] // domain runs past metaLen
    public void DecodeFrame_should_reject_New_without_valid_network_and_address(string hex)
    {
        AssertInvalid(hex);
    }

    [Fact]
    public void DecodeFrame_should_skip_metadata_bytes_after_the_parsed_fields()
    {
        // metaLen 14 | session 1 | New | Data | TCP | port 80 | IPv4 127.0.0.1 | 2 extra bytes | dataLen 1 | 42
        var frame = Convert.FromHexString("000E" + "0001" + "01" + "01" + "01" + "0050" + "01" + "7F000001" + "EEEE" + "0001" + "42");

        var status = MuxFrameCodec.DecodeFrame(frame, out var meta, out var offset, out var length, out var consumed, out _);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(MuxFrameMetadata.New(1, MuxNetwork.Tcp, Ipv4, MuxOptions.Data), meta);
        Assert.Equal([0x42], frame.AsSpan(offset, length).ToArray());
        Assert.Equal(frame.Length, consumed);
    }

    [Fact]
    public void DecodeFrame_should_skip_extra_metadata_on_Keep_and_keep_unknown_option_bits()
    {
        // metaLen 6 | session 9 | Keep | Data + bit 0x80 | 2 extra bytes | dataLen 0
        var frame = Convert.FromHexString("0006" + "0009" + "02" + "81" + "ABCD" + "0000");

        var status = MuxFrameCodec.DecodeFrame(frame, out var meta, out _, out var length, out var consumed, out _);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(MuxFrameMetadata.Keep(9, (MuxOptions)0x81), meta);
        Assert.Equal(0, length);
        Assert.Equal(frame.Length, consumed);
    }

    [Fact]
    public void DecodeFrame_should_accept_metaLen_of_512()
    {
        var frame = new byte[2 + 512];
        frame[0] = 0x02; // metaLen 512
        frame[4] = (byte)MuxSessionStatus.KeepAlive;

        Assert.Equal(OperationStatus.Done, MuxFrameCodec.DecodeFrame(frame, out _, out _, out _, out var consumed, out _));
        Assert.Equal(frame.Length, consumed);
    }

    [Fact]
    public void EncodeFrame_should_reject_New_without_target()
    {
        var meta = new MuxFrameMetadata(1, MuxSessionStatus.New, Network: MuxNetwork.Tcp);

        Assert.Throws<ArgumentException>(() => MuxFrameCodec.EncodeFrame(meta, [], new byte[64]));
    }

    [Fact]
    public void EncodeFrame_should_reject_data_without_Data_option()
    {
        Assert.Throws<ArgumentException>(() => MuxFrameCodec.EncodeFrame(MuxFrameMetadata.Keep(1), [1], new byte[64]));
    }

    [Fact]
    public void EncodeFrame_should_reject_data_longer_than_a_uint16()
    {
        var data = new byte[ushort.MaxValue + 1];

        Assert.Throws<ArgumentOutOfRangeException>(() =>
            MuxFrameCodec.EncodeFrame(MuxFrameMetadata.Keep(1, MuxOptions.Data), data, new byte[data.Length + 8]));
    }

    [Fact]
    public void Keep_frames_should_encode_and_decode_without_allocating()
    {
        var meta = MuxFrameMetadata.Keep(1, MuxOptions.Data);
        ReadOnlySpan<byte> data = [1, 2, 3, 4];
        Span<byte> buffer = stackalloc byte[16];
        RoundtripOnce(meta, data, buffer); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            RoundtripOnce(meta, data, buffer);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void RoundtripOnce(in MuxFrameMetadata meta, ReadOnlySpan<byte> data, Span<byte> buffer)
    {
        var written = MuxFrameCodec.EncodeFrame(meta, data, buffer);
        MuxFrameCodec.DecodeFrame(buffer[..written], out _, out _, out _, out _, out _);
    }

    private static byte[] Encode(in MuxFrameMetadata meta, byte[] data)
    {
        var frame = new byte[MuxFrameCodec.GetEncodedLength(meta, data.Length)];
        Assert.Equal(frame.Length, MuxFrameCodec.EncodeFrame(meta, data, frame));
        return frame;
    }

    private static void AssertInvalid(string hex)
    {
        var status = MuxFrameCodec.DecodeFrame(Convert.FromHexString(hex), out var meta, out _, out _, out var consumed, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(DecodeError.InvalidMuxFrame, error);
        Assert.Equal(0, consumed);
        Assert.Equal(default, meta);
    }
}
