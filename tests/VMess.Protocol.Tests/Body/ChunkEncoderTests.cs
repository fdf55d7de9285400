using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using VMess.Protocol.Body;
using VMess.Protocol.Crypto;
using VMess.Protocol.Headers;
using static VMess.Protocol.Tests.Body.BodyTestData;

namespace VMess.Protocol.Tests.Body;

public sealed class ChunkEncoderTests
{
    private static readonly byte[] Hello = Encoding.ASCII.GetBytes("hello, vmess");

    // Known answers computed independently (Python hashlib.shake_128 + pyca/cryptography, from the wire facts);
    // keys 00..0f / 10..1f (request) and 20..2f / 30..3f (response); padding bytes 0x5a.
    [Fact]
    public void Encode_should_match_known_answer_for_aes_128_gcm_with_masking_and_padding()
    {
        var framing = new BodyFraming(SecurityType.Aes128Gcm, S | M | P, RequestCommand.Tcp);
        using var encoder = ChunkCodecFactory.CreateEncoder(framing, Request, Request, new ConstantPaddingSource(0x5a));

        Assert.Equal(
            "8e6ea316c4d5869d9008217178f09b2cff78869e814d3c0fc98d21a1ccd15a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
            Hex(EncodeStream(encoder, [Hello], end: false)));
        Assert.Equal(
            "b6b444326e8a49c3dec76bea3adc6f165d2be00d5176e37e5a5a5a5a",
            Hex(EncodeStream(encoder, ["second"u8.ToArray()], end: false)));
        Assert.Equal(
            "a3f8841527decc4faf420d9a660346dd1a99" + string.Concat(Enumerable.Repeat("5a", 54)),
            Hex(EncodeStream(encoder, [], end: true)));
    }

    [Fact]
    public void Encode_should_match_known_answer_for_chacha20_poly1305_with_authenticated_length_on_the_response()
    {
        var framing = new BodyFraming(SecurityType.ChaCha20Poly1305, S | M | P | A, RequestCommand.Tcp);
        using var encoder = ChunkCodecFactory.CreateEncoder(framing, Response, Request, new ConstantPaddingSource(0x5a));

        Assert.Equal(
            "43f67257841d49d9c70dda697552b8b896b57a1a8fad2ab9e1aefb294bcb25169b8aa39515da15a94c998c9dad83"
            + string.Concat(Enumerable.Repeat("5a", 39)),
            Hex(EncodeStream(encoder, [Hello], end: false)));
        Assert.Equal(
            "12082ecf0b0b7ef02c66cafe3cbaa628375f435127e55e2ce5fa58e92cea156e084c" + string.Concat(Enumerable.Repeat("5a", 19)),
            Hex(EncodeStream(encoder, [], end: true)));
    }

    [Fact]
    public void Encode_should_match_known_answer_for_legacy_aes_128_cfb_with_masking()
    {
        var framing = new BodyFraming(SecurityType.Legacy, S | M, RequestCommand.Tcp);
        using var encoder = ChunkCodecFactory.CreateEncoder(framing, Request, Request, padding: null);

        Assert.Equal("fb7fb1ab75866b0bfc62813daee2fff6ed0160a2879e9769", Hex(EncodeStream(encoder, [Hello])));
    }

    [Fact]
    public void Encode_should_draw_padding_then_mask_from_shake128_of_the_iv()
    {
        var framing = new BodyFraming(SecurityType.Aes128Gcm, S | M | P, RequestCommand.Tcp);
        using var encoder = ChunkCodecFactory.CreateEncoder(framing, Request, Request, new ConstantPaddingSource(0x5a));
        var shake = Shake128.HashData(RequestIv, 4);
        var padding = BinaryPrimitives.ReadUInt16BigEndian(shake) % 64;
        var mask = BinaryPrimitives.ReadUInt16BigEndian(shake.AsSpan(2));

        var chunk = EncodeStream(encoder, [Hello], end: false);

        Assert.Equal(2 + Hello.Length + 16 + padding, chunk.Length);
        Assert.Equal(Hello.Length + 16 + padding, BinaryPrimitives.ReadUInt16BigEndian(chunk) ^ mask);
        using var gcm = new AesGcm(RequestKey, 16);
        var nonce = new byte[12];
        RequestIv.AsSpan(2, 10).CopyTo(nonce.AsSpan(2));
        var expected = new byte[Hello.Length];
        gcm.Decrypt(nonce, chunk.AsSpan(2, Hello.Length), chunk.AsSpan(2 + Hello.Length, 16), expected);
        Assert.Equal(Hello, expected);
    }

    [Theory]
    [InlineData(SecurityType.Aes128Gcm)]
    [InlineData(SecurityType.ChaCha20Poly1305)]
    public void Encode_should_seal_the_authenticated_length_with_the_request_key_and_iv_on_the_response(SecurityType security)
    {
        var framing = new BodyFraming(security, S | M | A, RequestCommand.Tcp);
        using var encoder = ChunkCodecFactory.CreateEncoder(framing, Response, Request, padding: null);
        var chunk = EncodeStream(encoder, [Hello], end: false);
        var lengthKey = new byte[16];
        Kdf.Derive16(RequestKey, lengthKey, KdfSalts.AuthenticatedLength);
        var nonce = new byte[12];
        RequestIv.AsSpan(2, 10).CopyTo(nonce.AsSpan(2));
        var plain = new byte[2];

        if (security == SecurityType.Aes128Gcm)
        {
            using var gcm = new AesGcm(lengthKey, 16);
            gcm.Decrypt(nonce, chunk.AsSpan(0, 2), chunk.AsSpan(2, 16), plain);
        }
        else
        {
            var key32 = MD5.HashData(lengthKey).Concat(MD5.HashData(MD5.HashData(lengthKey))).ToArray();
            using var chacha = new ChaCha20Poly1305(key32);
            chacha.Decrypt(nonce, chunk.AsSpan(0, 2), chunk.AsSpan(2, 16), plain);
        }

        Assert.Equal(Hello.Length, BinaryPrimitives.ReadUInt16BigEndian(plain)); // L - 16, no padding
        Assert.Equal(18 + Hello.Length + 16, chunk.Length);
    }

    [Theory]
    [InlineData(S | M)]
    [InlineData(S | A)]
    public void Encode_should_wrap_the_chunk_nonce_at_65536_like_every_peer(RequestOptions options)
    {
        const int chunks = 65_536 + 2;
        var framing = new BodyFraming(SecurityType.Aes128Gcm, options & ~M, RequestCommand.Tcp);
        var (encoder, decoder) = Pair(framing, response: false);
        using var encoderScope = encoder;
        using var decoderScope = decoder;
        var payload = new byte[] { 0x42 };
        var chunkSize = encoder.GetMaxEncodedLength(1);
        var wire = new byte[chunks * chunkSize];
        for (var i = 0; i < chunks; i++)
        {
            Assert.Equal(chunkSize, encoder.Encode(payload, wire.AsSpan(i * chunkSize)));
        }

        // Same payload, same nonce, no mask: chunk 65,536 repeats chunk 0 byte for byte, and 65,537 repeats 1.
        Assert.Equal(wire.AsSpan(0, 2 * chunkSize).ToArray(), wire.AsSpan(65_536 * chunkSize, 2 * chunkSize).ToArray());
        Assert.NotEqual(wire.AsSpan(0, chunkSize).ToArray(), wire.AsSpan(chunkSize, chunkSize).ToArray());

        var output = new byte[chunks];
        var status = decoder.Decode(wire, output, out var consumed, out var written, out _, out var error);
        Assert.True(status == OperationStatus.Done, $"{status} {error}");
        Assert.Equal(wire.Length, consumed);
        Assert.Equal(chunks, written);
    }

    [Theory]
    [InlineData(SecurityType.Aes128Gcm, S | M | P, 1966)]
    [InlineData(SecurityType.Aes128Gcm, S | M | P | A, 1950)]
    [InlineData(SecurityType.ChaCha20Poly1305, S | M, 2030)]
    [InlineData(SecurityType.Legacy, S | M | P, 1978)]
    [InlineData(SecurityType.None, S | M, 2046)]
    public void MaxPayloadPerChunk_should_keep_chunks_within_V2Ray_buffer_size(SecurityType security, RequestOptions options, int expected)
    {
        var framing = new BodyFraming(security, options, RequestCommand.Tcp);
        using var encoder = ChunkCodecFactory.CreateEncoder(framing, Request, Request, new SeededPaddingSource(3));

        Assert.Equal(expected, encoder.MaxPayloadPerChunk);
        Assert.True(encoder.GetMaxEncodedLength(encoder.MaxPayloadPerChunk) <= ChunkCodecFactory.DefaultMaxChunkSize);
    }

    [Fact]
    public void Encode_should_split_payload_at_the_configured_chunk_size()
    {
        var framing = new BodyFraming(SecurityType.Aes128Gcm, S | M, RequestCommand.Tcp);
        var (encoder, decoder) = Pair(framing, response: false, maxChunkSize: 16 * 1024);
        var payload = RandomBytes(new Random(9), 40_000);

        var wire = EncodeStream(encoder, [payload], end: false);
        var output = new byte[payload.Length];
        decoder.Decode(wire, output, out var consumed, out var written, out _, out _);

        Assert.Equal(16 * 1024 - 18, encoder.MaxPayloadPerChunk);
        Assert.Equal(payload.Length + 3 * 18, wire.Length); // three chunks
        Assert.Equal(wire.Length, consumed);
        Assert.Equal(payload, output[..written]);
    }

    [Theory]
    [InlineData(RequestCommand.Tcp, 2 + 100)]
    [InlineData(RequestCommand.Udp, 2 + 100 + 17)]
    public void Encode_should_pad_a_none_body_only_for_packets(RequestCommand command, int expected)
    {
        // None + S on a stream is V2Ray's ChunkStreamWriter, which never pads; on UDP it is the no-op authenticator,
        // which does. The first padding draw from SHAKE128(10..1f) is 17.
        var framing = new BodyFraming(SecurityType.None, S | M | P, command);
        using var encoder = ChunkCodecFactory.CreateEncoder(framing, Request, Request, new ConstantPaddingSource(0));
        Assert.Equal(17, BinaryPrimitives.ReadUInt16BigEndian(Shake128.HashData(RequestIv, 2)) % 64);

        Assert.Equal(expected, EncodeStream(encoder, [new byte[100]], end: false).Length);
    }

    [Fact]
    public void EncodePacket_should_write_nothing_for_an_empty_datagram()
    {
        var framing = new BodyFraming(SecurityType.Aes128Gcm, S | M | P, RequestCommand.Udp);
        using var encoder = ChunkCodecFactory.CreateEncoder(framing, Request, Request, new SeededPaddingSource(3));

        Assert.Equal(0, encoder.EncodePacket(default, new byte[128]));
    }

    [Fact]
    public void EncodePacket_should_refuse_a_datagram_larger_than_a_chunk()
    {
        var framing = new BodyFraming(SecurityType.Aes128Gcm, S | M, RequestCommand.Udp);
        using var encoder = ChunkCodecFactory.CreateEncoder(framing, Request, Request, padding: null);

        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.EncodePacket(new byte[encoder.MaxPayloadPerChunk + 1], new byte[4096]));
    }

    [Theory]
    [InlineData(SecurityType.None)]
    [InlineData(SecurityType.Legacy)]
    public void EncodeEndOfStream_should_write_nothing_without_chunks(SecurityType security)
    {
        var framing = new BodyFraming(security, M, RequestCommand.Tcp);
        using var encoder = ChunkCodecFactory.CreateEncoder(framing, Request, Request, padding: null);

        Assert.False(encoder.IsChunked);
        Assert.Equal(0, encoder.EncodeEndOfStream(default));
    }

    [Fact]
    public void EncodeUnframed_should_continue_the_legacy_cfb_stream_into_the_body()
    {
        var framing = new BodyFraming(SecurityType.Legacy, S | M, RequestCommand.Tcp);
        var (encoder, decoder) = Pair(framing, response: true);
        byte[] header = [0x7f, 0x00, 0x00, 0x00];
        var wire = new byte[4];
        encoder.EncodeUnframed(header, wire);
        wire = [.. wire, .. EncodeStream(encoder, [Hello])];

        var readHeader = new byte[4];
        decoder.DecodeUnframed(wire.AsSpan(0, 4), readHeader);
        var output = new byte[64];
        var status = decoder.Decode(wire.AsSpan(4), output, out _, out var written, out var ended, out _);

        Assert.Equal(header, readHeader);
        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(Hello, output[..written]);
        Assert.True(ended);
    }

    [Fact]
    public void EncodeUnframed_should_be_refused_for_an_aead_body()
    {
        var framing = new BodyFraming(SecurityType.Aes128Gcm, S, RequestCommand.Tcp);
        using var encoder = ChunkCodecFactory.CreateEncoder(framing, Request, Request, padding: null);

        Assert.Throws<InvalidOperationException>(() => encoder.EncodeUnframed([1], new byte[1]));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
