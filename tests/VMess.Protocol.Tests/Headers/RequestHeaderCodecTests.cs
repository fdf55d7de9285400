using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text;
using VMess.Protocol.Addresses;
using VMess.Protocol.Crypto;
using VMess.Protocol.Headers;

namespace VMess.Protocol.Tests.Headers;

public sealed class RequestHeaderCodecTests
{
    private const int Seed = 38;

    public static TheoryData<string> SampleNames() => new() { "ipv4", "ipv6", "domain", "mux" };

    [Theory, MemberData(nameof(SampleNames))]
    public void Roundtrip_should_preserve_every_field_for_every_padding_length(string name)
    {
        for (var paddingLength = 0; paddingLength <= RequestHeaderCodec.MaxPadding; paddingLength++)
        {
            var header = Sample(name, Seed + paddingLength);
            var encoded = Encode(header, paddingLength, Seed + paddingLength);

            var status = RequestHeaderCodec.Decode(encoded, out var decoded, out var consumed, out var error);

            var context = $"{name}, padding {paddingLength}, seed {Seed + paddingLength}";
            Assert.True(status == OperationStatus.Done, $"{status}/{error}: {context}");
            Assert.Equal(encoded.Length, consumed);
            Assert.Equal(RequestHeaderCodec.GetEncodedLength(header, paddingLength), consumed);
            AssertSameHeader(header, decoded!, context);
        }
    }

    [Theory, MemberData(nameof(SampleNames))]
    public void Decode_should_consume_only_the_header_when_body_bytes_follow(string name)
    {
        var encoded = Encode(Sample(name, Seed), 7, Seed);
        byte[] withBody = [.. encoded, .. TrailingBytes(Seed, 50)];

        var status = RequestHeaderCodec.Decode(withBody, out _, out var consumed, out _);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(encoded.Length, consumed);
    }

    [Theory, MemberData(nameof(SampleNames))]
    public void Decode_should_return_NeedMoreData_for_every_truncated_prefix(string name)
    {
        var encoded = Encode(Sample(name, Seed), 5, Seed);
        for (var length = 0; length < encoded.Length; length++)
        {
            var status = RequestHeaderCodec.Decode(encoded.AsSpan(0, length), out var header, out var consumed, out var error);

            Assert.True(status == OperationStatus.NeedMoreData, $"{status}/{error} at prefix {length}, {name}, seed {Seed}");
            Assert.Equal(0, consumed);
            Assert.Null(header);
        }
    }

    [Theory, MemberData(nameof(SampleNames))]
    public void Decode_should_reject_any_single_byte_flip(string name)
    {
        // Body bytes follow the header (as on a legacy stream), so a flip that lengthens the header still finds data.
        var encoded = Encode(Sample(name, Seed), 5, Seed);
        byte[] stream = [.. encoded, .. TrailingBytes(Seed, 320)];
        var badChecksums = 0;
        var flips = 0;
        foreach (var mask in new byte[] { 0x01, 0x02, 0x10, 0x80, 0xFF })
        {
            for (var i = 0; i < encoded.Length; i++)
            {
                var flipped = (byte[])stream.Clone();
                flipped[i] ^= mask;

                var status = RequestHeaderCodec.Decode(flipped, out var header, out var consumed, out var error);

                Assert.True(status == OperationStatus.InvalidData, $"{status} at byte {i} mask {mask:x2}, {name}, seed {Seed}");
                Assert.NotEqual(DecodeError.None, error);
                Assert.Null(header);
                Assert.Equal(0, consumed);
                flips++;
                if (error == DecodeError.BadChecksum) badChecksums++;
            }
        }
        Assert.True(badChecksums * 3 >= flips * 2, $"{badChecksums} of {flips} flips were BadChecksum, {name}, seed {Seed}");
    }

    [Fact]
    public void Decode_should_report_BadChecksum_when_the_key_or_iv_is_flipped()
    {
        var encoded = Encode(Sample("ipv4", Seed), 3, Seed);
        for (var i = 1; i < 33; i++)
        {
            var flipped = (byte[])encoded.Clone();
            flipped[i] ^= 0x40;

            RequestHeaderCodec.Decode(flipped, out _, out _, out var error);

            Assert.True(error == DecodeError.BadChecksum, $"{error} at byte {i}, seed {Seed}");
        }
    }

    [Fact]
    public void Decode_should_read_security_nibble_0_as_Legacy()
    {
        var encoded = Encode(Sample("ipv4", Seed) with { Security = (SecurityType)0 }, 0, Seed);

        var status = RequestHeaderCodec.Decode(encoded, out var header, out _, out _);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(SecurityType.Legacy, header!.Security);
    }

    [Theory]
    [InlineData(1, SecurityType.Legacy)]
    [InlineData(3, SecurityType.Aes128Gcm)]
    [InlineData(4, SecurityType.ChaCha20Poly1305)]
    [InlineData(5, SecurityType.None)]
    public void Decode_should_accept_concrete_security_types(int nibble, SecurityType expected)
    {
        var encoded = Encode(Sample("ipv4", Seed) with { Security = (SecurityType)nibble }, 0, Seed);

        RequestHeaderCodec.Decode(encoded, out var header, out _, out _);

        Assert.Equal(expected, header!.Security);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(15)]
    public void Decode_should_return_UnknownSecurity_for_auto_and_undefined_nibbles(int nibble)
    {
        var encoded = Encode(Sample("ipv4", Seed) with { Security = (SecurityType)nibble }, 9, Seed);

        var status = RequestHeaderCodec.Decode(encoded, out var header, out _, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(DecodeError.UnknownSecurity, error);
        Assert.Null(header);
    }

    [Fact]
    public void Decode_should_return_UnsupportedVersion_for_version_2()
    {
        var encoded = Encode(Sample("ipv4", Seed) with { Version = 2 }, 0, Seed);

        var status = RequestHeaderCodec.Decode(encoded, out _, out _, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(DecodeError.UnsupportedVersion, error);
    }

    [Fact]
    public void Decode_should_return_InvalidOptions_for_global_padding_without_masking()
    {
        var encoded = Encode(Sample("ipv4", Seed) with { Options = RequestOptions.ChunkStream | RequestOptions.GlobalPadding }, 0, Seed);

        var status = RequestHeaderCodec.Decode(encoded, out _, out _, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(DecodeError.InvalidOptions, error);
    }

    [Fact]
    public void Decode_should_accept_global_padding_with_masking()
    {
        var options = RequestOptions.ChunkStream | RequestOptions.ChunkMasking | RequestOptions.GlobalPadding;
        var encoded = Encode(Sample("ipv4", Seed) with { Options = options }, 0, Seed);

        var status = RequestHeaderCodec.Decode(encoded, out var header, out _, out _);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(options, header!.Options);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(0xFF)]
    public void Decode_should_return_UnknownCommand_for_an_undefined_command(byte command)
    {
        // An unknown command carries no address (V2Ray reads one only for TCP and UDP); re-checksum after patching.
        var encoded = Encode(Sample("mux", Seed), 2, Seed);
        encoded[37] = command;
        BinaryPrimitives.WriteUInt32BigEndian(encoded.AsSpan(encoded.Length - 4), ReferenceFnv1a(encoded.AsSpan(0, encoded.Length - 4)));

        var status = RequestHeaderCodec.Decode(encoded, out _, out _, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(DecodeError.UnknownCommand, error);
    }

    [Fact]
    public void Decode_should_return_InvalidAddress_for_an_unknown_address_type()
    {
        var encoded = Encode(Sample("ipv4", Seed), 0, Seed);
        encoded[RequestHeaderCodec.FixedSize + 2] = 4;

        var status = RequestHeaderCodec.Decode(encoded, out _, out _, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(DecodeError.InvalidAddress, error);
    }

    [Fact]
    public void Encode_should_produce_the_documented_layout()
    {
        var iv = Enumerable.Range(0x00, 16).Select(i => (byte)i).ToArray();
        var key = Enumerable.Range(0x10, 16).Select(i => (byte)i).ToArray();
        byte[] padding = [0xAA, 0xBB, 0xCC];
        var header = new RequestHeader
        {
            BodyIv = iv,
            BodyKey = key,
            ResponseAuth = 0x2A,
            Options = RequestOptions.ChunkStream | RequestOptions.ChunkMasking,
            Security = SecurityType.Aes128Gcm,
            Command = RequestCommand.Tcp,
            Destination = DestinationAddress.FromDomain("example.com", 443),
        };
        var expected = new List<byte> { 0x01 };          // Ver
        expected.AddRange(iv);                           // IV
        expected.AddRange(key);                          // Key
        expected.Add(0x2A);                              // V
        expected.Add(0x05);                              // Opt: S | M
        expected.Add(0x33);                              // P = 3 << 4 | Sec = 3 (AES-128-GCM)
        expected.Add(0x00);                              // reserved
        expected.Add(0x01);                              // Cmd: TCP
        expected.AddRange([0x01, 0xBB]);                 // Port 443 BE
        expected.Add(0x02);                              // Atyp: domain
        expected.Add(11);                                // domain length
        expected.AddRange(Encoding.ASCII.GetBytes("example.com"));
        expected.AddRange(padding);
        var checksum = ReferenceFnv1a(expected.ToArray());
        expected.AddRange([(byte)(checksum >> 24), (byte)(checksum >> 16), (byte)(checksum >> 8), (byte)checksum]);
        var destination = new byte[RequestHeaderCodec.MaxEncodedLength];

        var written = RequestHeaderCodec.Encode(header, padding, destination);

        Assert.Equal(Convert.ToHexString(expected.ToArray()), Convert.ToHexString(destination, 0, written));
    }

    [Fact]
    public void Encode_should_write_no_address_for_Mux()
    {
        var destination = new byte[RequestHeaderCodec.MaxEncodedLength];

        var written = RequestHeaderCodec.Encode(Sample("mux", Seed), [], destination);

        Assert.Equal(RequestHeaderCodec.FixedSize + RequestHeaderCodec.ChecksumSize, written);
    }

    [Fact]
    public void Encode_should_throw_for_more_than_15_bytes_of_padding()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            RequestHeaderCodec.Encode(Sample("ipv4", Seed), new byte[16], new byte[RequestHeaderCodec.MaxEncodedLength + 1]));
    }

    private static RequestHeader Sample(string name, int seed)
    {
        var random = new Random(seed);
        var iv = new byte[16];
        var key = new byte[16];
        random.NextBytes(iv);
        random.NextBytes(key);
        var header = new RequestHeader
        {
            BodyIv = iv,
            BodyKey = key,
            ResponseAuth = (byte)random.Next(256),
            Options = RequestOptions.ChunkStream | RequestOptions.ChunkMasking,
            Security = SecurityType.Aes128Gcm,
            Command = RequestCommand.Tcp,
        };
        return name switch
        {
            "ipv4" => header with { Destination = DestinationAddress.FromIp(IPAddress.Parse("1.2.3.4"), 80) },
            "ipv6" => header with
            {
                Command = RequestCommand.Udp,
                Security = SecurityType.ChaCha20Poly1305,
                Destination = DestinationAddress.FromIp(IPAddress.Parse("2001:db8::1"), 53),
            },
            "domain" => header with
            {
                Security = SecurityType.None,
                Options = RequestOptions.ChunkStream | RequestOptions.ChunkMasking | RequestOptions.GlobalPadding,
                Destination = DestinationAddress.FromDomain("www.example.com", 8443),
            },
            "mux" => header with { Command = RequestCommand.Mux, Security = SecurityType.Legacy, Options = RequestOptions.ChunkStream },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    private static byte[] Encode(RequestHeader header, int paddingLength, int seed)
    {
        var padding = new byte[paddingLength];
        new Random(seed).NextBytes(padding);
        var destination = new byte[RequestHeaderCodec.GetEncodedLength(header, paddingLength)];
        var written = RequestHeaderCodec.Encode(header, padding, destination);
        Assert.Equal(destination.Length, written);
        return destination;
    }

    private static byte[] TrailingBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed * 31).NextBytes(bytes);
        return bytes;
    }

    private static void AssertSameHeader(RequestHeader expected, RequestHeader actual, string context)
    {
        Assert.True(expected.Version == actual.Version, context);
        Assert.True(expected.BodyIv.AsSpan().SequenceEqual(actual.BodyIv), context);
        Assert.True(expected.BodyKey.AsSpan().SequenceEqual(actual.BodyKey), context);
        Assert.True(expected.ResponseAuth == actual.ResponseAuth, context);
        Assert.True(expected.Options == actual.Options, context);
        Assert.True(expected.Security == actual.Security, context);
        Assert.True(expected.Command == actual.Command, context);
        Assert.True(Equals(expected.Destination, actual.Destination), $"{expected.Destination} vs {actual.Destination}: {context}");
    }

    private static uint ReferenceFnv1a(ReadOnlySpan<byte> data)
    {
        var hash = 0x811c9dc5u;
        foreach (var b in data) hash = unchecked((hash ^ b) * 0x01000193u);
        return hash;
    }
}
