using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;

namespace VMess.Protocol.Tests.Headers;

public sealed class ResponseHeaderCodecTests
{
    private static readonly VMessUserId SampleId = VMessUserId.Parse("b831381d-6324-4d53-ad4f-8cda48b30811");

    public static TheoryData<string?> Hosts() => new() { null, "example.com" };

    [Fact]
    public void Roundtrip_should_preserve_a_header_without_command()
    {
        var header = new ResponseHeader(0x2A, 0x01);
        var encoded = Encode(header);

        var status = ResponseHeaderCodec.Decode(encoded, out var decoded, out var consumed, out var commandError);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal([0x2A, 0x01, 0x00, 0x00], encoded);
        Assert.Equal(4, consumed);
        Assert.Equal(header, decoded);
        Assert.Equal(DecodeError.None, commandError);
    }

    [Theory, MemberData(nameof(Hosts))]
    public void Roundtrip_should_preserve_a_SwitchAccount_command(string? host)
    {
        var header = SwitchAccount(host);
        var encoded = Encode(header);

        var status = ResponseHeaderCodec.Decode(encoded, out var decoded, out var consumed, out var commandError);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(encoded.Length, consumed);
        Assert.Equal(header, decoded);
        Assert.Equal(DecodeError.None, commandError);
    }

    [Fact]
    public void Encode_should_produce_the_documented_SwitchAccount_layout()
    {
        var content = new List<byte> { 11 };
        content.AddRange(Encoding.ASCII.GetBytes("example.com"));
        content.AddRange([0x27, 0x10]);                  // port 10000
        content.AddRange(SampleId.ToBytes());
        content.AddRange([0x00, 0x04]);                  // alterIds 4
        content.Add(2);                                  // level
        content.Add(30);                                 // valid minutes
        var checksum = ReferenceFnv1a(content.ToArray());
        byte[] expected = [0x2A, 0x00, 0x01, (byte)(4 + content.Count),
            (byte)(checksum >> 24), (byte)(checksum >> 16), (byte)(checksum >> 8), (byte)checksum, .. content];

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(Encode(SwitchAccount("example.com"))));
    }

    [Fact]
    public void Decode_should_drop_a_command_whose_checksum_fails()
    {
        var encoded = Encode(SwitchAccount("example.com"));
        encoded[4] ^= 0x01;

        var status = ResponseHeaderCodec.Decode(encoded, out var decoded, out var consumed, out var commandError);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(encoded.Length, consumed);
        Assert.Equal(new ResponseHeader(0x2A, 0x00), decoded);
        Assert.Equal(DecodeError.InvalidCommand, commandError);
    }

    [Fact]
    public void Decode_should_drop_a_command_with_an_unknown_id()
    {
        var encoded = Encode(SwitchAccount(null));
        encoded[2] = 2;

        var status = ResponseHeaderCodec.Decode(encoded, out var decoded, out _, out var commandError);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Null(decoded!.Command);
        Assert.Equal(DecodeError.InvalidCommand, commandError);
    }

    [Fact]
    public void Decode_should_drop_a_command_too_short_for_its_fields()
    {
        // hostLen 0 then only 21 of the 22 fixed bytes, with a valid checksum.
        var content = new byte[1 + 21];
        byte[] encoded = [0x2A, 0x00, 0x01, (byte)(4 + content.Length), 0, 0, 0, 0, .. content];
        BinaryPrimitives.WriteUInt32BigEndian(encoded.AsSpan(4), ReferenceFnv1a(content));

        var status = ResponseHeaderCodec.Decode(encoded, out var decoded, out var consumed, out var commandError);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(encoded.Length, consumed);
        Assert.Null(decoded!.Command);
        Assert.Equal(DecodeError.InvalidCommand, commandError);
    }

    [Fact]
    public void Decode_should_ignore_the_command_length_when_there_is_no_command()
    {
        byte[] encoded = [0x2A, 0x00, 0x00, 0x09, 0xEE];

        var status = ResponseHeaderCodec.Decode(encoded, out _, out var consumed, out _);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(4, consumed);
    }

    [Theory, MemberData(nameof(Hosts))]
    public void Decode_should_return_NeedMoreData_for_every_truncated_prefix(string? host)
    {
        var encoded = Encode(SwitchAccount(host));
        for (var length = 0; length < encoded.Length; length++)
        {
            var status = ResponseHeaderCodec.Decode(encoded.AsSpan(0, length), out var decoded, out var consumed, out _);

            Assert.True(status == OperationStatus.NeedMoreData, $"{status} at prefix {length}");
            Assert.Equal(0, consumed);
            Assert.Null(decoded);
        }
    }

    [Fact]
    public void Encode_should_throw_when_the_command_exceeds_255_bytes()
    {
        var header = SwitchAccount(new string('a', 230));

        Assert.Throws<ArgumentException>(() => ResponseHeaderCodec.Encode(header, new byte[600]));
    }

    private static ResponseHeader SwitchAccount(string? host) =>
        new(0x2A, 0x00, new SwitchAccountCommand(host, 10000, SampleId, 4, 2, 30));

    private static byte[] Encode(ResponseHeader header)
    {
        var destination = new byte[ResponseHeaderCodec.GetEncodedLength(header)];
        Assert.Equal(destination.Length, ResponseHeaderCodec.Encode(header, destination));
        return destination;
    }

    private static uint ReferenceFnv1a(ReadOnlySpan<byte> data)
    {
        var hash = 0x811c9dc5u;
        foreach (var b in data) hash = unchecked((hash ^ b) * 0x01000193u);
        return hash;
    }
}
