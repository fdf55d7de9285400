using System.Buffers;
using VMess.Protocol.Body;
using VMess.Protocol.Headers;
using static VMess.Protocol.Tests.Body.BodyTestData;

namespace VMess.Protocol.Tests.Body;

public sealed class ChunkDecoderTests
{
    [Theory, MemberData(nameof(BodyTestData.AllFramings), MemberType = typeof(BodyTestData))]
    public void Decode_should_round_trip_every_framing(SecurityType security, RequestOptions options, RequestCommand command, bool response)
    {
        var framing = new BodyFraming(security, options, command);
        var (encoder, decoder) = Pair(framing, response);
        using var encoderScope = encoder;
        using var decoderScope = decoder;
        var writes = Writes(new Random(42), encoder);
        var wire = EncodeStream(encoder, writes);

        var output = DecodeAll(decoder, wire, out var ended);

        Assert.Equal(encoder.IsChunked, ended);
        if (framing.IsPacket && encoder.IsChunked)
        {
            Assert.Equal(writes.Count, output.Count);
            for (var i = 0; i < writes.Count; i++) Assert.Equal(writes[i], output[i]);
        }
        else
        {
            Assert.Equal(writes.SelectMany(w => w).ToArray(), output.SelectMany(w => w).ToArray());
        }
    }

    [Theory, MemberData(nameof(BodyTestData.AllFramings), MemberType = typeof(BodyTestData))]
    public void Decode_should_be_identity_under_arbitrary_rechunking(SecurityType security, RequestOptions options, RequestCommand command, bool response)
    {
        var framing = new BodyFraming(security, options, command);
        for (var seed = 1; seed <= 4; seed++)
        {
            var (encoder, decoder) = Pair(framing, response);
            using var encoderScope = encoder;
            using var decoderScope = decoder;
            var random = new Random(seed);
            var writes = Writes(random, encoder);
            var wire = EncodeStream(encoder, writes);

            var pending = new List<byte>();
            var output = new List<byte>();
            var destination = new byte[ChunkCodecFactory.MaxChunkSize];
            var fed = 0;
            var ended = false;
            while (!ended && (fed < wire.Length || pending.Count > 0))
            {
                var take = Math.Min(wire.Length - fed, random.Next(1, 700));
                pending.AddRange(wire.AsSpan(fed, take));
                fed += take;
                while (true)
                {
                    var status = decoder.Decode(pending.ToArray(), destination, out var consumed, out var written, out ended, out var error);
                    Assert.True(status is OperationStatus.Done or OperationStatus.NeedMoreData, $"seed {seed}: {status} {error}");
                    if (status == OperationStatus.NeedMoreData)
                    {
                        Assert.True(consumed == 0, $"seed {seed}: NeedMoreData consumed {consumed}");
                        break;
                    }
                    pending.RemoveRange(0, consumed);
                    output.AddRange(destination.AsSpan(0, written));
                    if (ended) break;
                }
                if (take == 0) break;
            }

            Assert.True(writes.SelectMany(w => w).SequenceEqual(output), $"seed {seed}: output differs");
            Assert.True(encoder.IsChunked == ended, $"seed {seed}: ended {ended}");
        }
    }

    [Theory, MemberData(nameof(BodyTestData.ChunkedFramings), MemberType = typeof(BodyTestData))]
    public void Decode_should_return_NeedMoreData_for_every_truncated_prefix(SecurityType security, RequestOptions options, RequestCommand command, bool response)
    {
        var framing = new BodyFraming(security, options, command);
        var (encoder, decoder) = Pair(framing, response);
        using var encoderScope = encoder;
        using var decoderScope = decoder;
        var first = EncodeStream(encoder, [[1, 2, 3]], end: false);
        var second = EncodeStream(encoder, [Enumerable.Range(0, 300).Select(i => (byte)i).ToArray()], end: false);
        var destination = new byte[ChunkCodecFactory.MaxChunkSize];
        Assert.Equal(OperationStatus.Done, decoder.Decode(first, destination, out _, out _, out _, out _));

        for (var n = 0; n < second.Length; n++)
        {
            var status = decoder.Decode(second.AsSpan(0, n), destination, out var consumed, out var written, out var ended, out _);
            Assert.True(status == OperationStatus.NeedMoreData && consumed == 0 && written == 0 && !ended, $"prefix {n}: {status}, {consumed}");
        }

        Assert.Equal(OperationStatus.Done, decoder.Decode(second, destination, out var all, out var payload, out _, out _));
        Assert.Equal(second.Length, all);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (byte)i).ToArray(), destination[..payload]);
    }

    [Theory, MemberData(nameof(BodyTestData.AeadOptionSets), MemberType = typeof(BodyTestData))]
    public void Decode_should_reject_any_single_byte_flip_of_a_sealed_chunk(SecurityType security, RequestOptions options)
    {
        var framing = new BodyFraming(security, options, RequestCommand.Tcp);
        var sizeBytes = options.HasFlag(A) ? 18 : 2;
        var payload = new byte[] { 10, 20, 30, 40, 50 };
        var (encoder, probe) = Pair(framing, response: true, new ConstantPaddingSource(0));
        var chunk = EncodeStream(encoder, [payload], end: false);
        encoder.Dispose();
        probe.Dispose();
        var sealedEnd = sizeBytes + payload.Length + 16;

        for (var i = 0; i < chunk.Length; i++)
        {
            var flipped = (byte[])chunk.Clone();
            flipped[i] ^= 0x01;
            using var decoder = ChunkCodecFactory.CreateDecoder(framing, Response, Request);
            var status = decoder.Decode(flipped, new byte[4096], out var consumed, out _, out _, out var error);
            if (i >= sealedEnd)
            {
                // Padding is not authenticated, in V2Ray either.
                Assert.True(status == OperationStatus.Done, $"padding byte {i}: {status}");
            }
            else if (i >= sizeBytes || options.HasFlag(A))
            {
                Assert.True(status == OperationStatus.InvalidData && error == DecodeError.ChunkAuthFailed, $"byte {i}: {status} {error}");
            }
            else
            {
                // A flipped plain length either asks for more than there is, or moves the tag.
                Assert.True(status is OperationStatus.InvalidData or OperationStatus.NeedMoreData && consumed == 0, $"length byte {i}: {status}");
            }
        }
    }

    [Fact]
    public void Decode_should_report_a_bad_legacy_checksum_as_ChunkAuthFailed()
    {
        var framing = new BodyFraming(SecurityType.Legacy, S | M, RequestCommand.Tcp);
        var (encoder, decoder) = Pair(framing, response: false);
        var chunk = EncodeStream(encoder, [[1, 2, 3, 4, 5, 6, 7, 8]], end: false);
        chunk[^1] ^= 0x80;

        var status = decoder.Decode(chunk, new byte[4096], out _, out _, out _, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(DecodeError.ChunkAuthFailed, error);
    }

    [Fact]
    public void Decode_should_authenticate_the_end_of_stream_chunk()
    {
        var framing = new BodyFraming(SecurityType.Aes128Gcm, S | M | P, RequestCommand.Tcp);
        var (encoder, decoder) = Pair(framing, response: false, new ConstantPaddingSource(0));
        var eos = EncodeStream(encoder, [], end: true);
        eos[3] ^= 0x01; // inside the tag

        var status = decoder.Decode(eos, new byte[64], out _, out _, out var ended, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(DecodeError.ChunkAuthFailed, error);
        Assert.False(ended);
    }

    [Fact]
    public void Decode_should_return_ChunkTooSmall_for_a_length_below_tag_and_padding()
    {
        var framing = new BodyFraming(SecurityType.Aes128Gcm, S, RequestCommand.Tcp);
        using var decoder = ChunkCodecFactory.CreateDecoder(framing, Request, Request);
        var chunk = new byte[] { 0, 5, 1, 2, 3, 4, 5 };

        var status = decoder.Decode(chunk, new byte[64], out var consumed, out _, out _, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(DecodeError.ChunkTooSmall, error);
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void Decode_should_return_ChunkTooLarge_above_the_configured_limit()
    {
        var framing = new BodyFraming(SecurityType.Aes128Gcm, S, RequestCommand.Tcp);
        var (encoder, _) = Pair(framing, response: false, maxChunkSize: 4096);
        using var decoder = ChunkCodecFactory.CreateDecoder(framing, Request, Request, maxChunkLength: 1024);
        var chunk = EncodeStream(encoder, [new byte[2000]], end: false);

        var status = decoder.Decode(chunk, new byte[4096], out _, out _, out _, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(DecodeError.ChunkTooLarge, error);
    }

    [Fact]
    public void Decode_should_return_DestinationTooSmall_without_moving_state()
    {
        var framing = new BodyFraming(SecurityType.ChaCha20Poly1305, S | M | P | A, RequestCommand.Tcp);
        var (encoder, decoder) = Pair(framing, response: true);
        var wire = EncodeStream(encoder, [new byte[500]]);

        var small = decoder.Decode(wire, new byte[499], out var consumed, out _, out _, out _);
        var fits = decoder.Decode(wire, new byte[500], out var consumedAll, out var written, out var ended, out _);

        Assert.Equal(OperationStatus.DestinationTooSmall, small);
        Assert.Equal(0, consumed);
        Assert.Equal(OperationStatus.Done, fits);
        Assert.Equal(500, written);
        Assert.Equal(wire.Length, consumedAll);
        Assert.True(ended);
    }

    [Fact]
    public void Decode_should_return_Done_with_the_chunks_that_fit_the_destination()
    {
        var framing = new BodyFraming(SecurityType.Aes128Gcm, S | M, RequestCommand.Tcp);
        var (encoder, decoder) = Pair(framing, response: false);
        var wire = EncodeStream(encoder, [new byte[100], new byte[100], new byte[100]], end: false);

        var status = decoder.Decode(wire, new byte[250], out var consumed, out var written, out _, out _);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(200, written);
        Assert.Equal(2 * (2 + 100 + 16), consumed);
    }

    [Fact]
    public void Decode_should_stop_after_one_datagram_for_a_packet_body()
    {
        var framing = new BodyFraming(SecurityType.Aes128Gcm, S | M | P, RequestCommand.Udp);
        var (encoder, decoder) = Pair(framing, response: false);
        var wire = EncodeStream(encoder, [new byte[10], new byte[20]], end: false);

        decoder.Decode(wire, new byte[4096], out var consumed, out var written, out _, out _);

        Assert.Equal(10, written);
        Assert.True(consumed < wire.Length);
    }

    [Fact]
    public void Decode_should_stay_failed_after_InvalidData()
    {
        var framing = new BodyFraming(SecurityType.Aes128Gcm, S, RequestCommand.Tcp);
        var (encoder, decoder) = Pair(framing, response: false);
        var good = EncodeStream(encoder, [new byte[10]], end: false);
        var bad = (byte[])good.Clone();
        bad[5] ^= 1;

        decoder.Decode(bad, new byte[64], out _, out _, out _, out _);
        var status = decoder.Decode(good, new byte[64], out _, out _, out _, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(DecodeError.ChunkAuthFailed, error);
    }

    [Theory]
    [InlineData(SecurityType.Aes128Gcm, S | M | P | A)]
    [InlineData(SecurityType.ChaCha20Poly1305, S | M | P)]
    [InlineData(SecurityType.Legacy, S | M | P)]
    [InlineData(SecurityType.None, S | M | P)]
    public void Codec_should_not_allocate_per_chunk(SecurityType security, RequestOptions options)
    {
        var framing = new BodyFraming(security, options, RequestCommand.Tcp);
        var (encoder, decoder) = Pair(framing, response: true);
        var payload = new byte[1000];
        var wire = new byte[encoder.GetMaxEncodedLength(payload.Length)];
        var output = new byte[ChunkCodecFactory.MaxChunkSize];
        RoundTrip(16); // warm up (JIT, lazily built tables)

        var before = GC.GetAllocatedBytesForCurrentThread();
        RoundTrip(200);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);

        void RoundTrip(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var n = encoder.Encode(payload, wire);
                decoder.Decode(wire.AsSpan(0, n), output, out _, out _, out _, out _);
            }
        }
    }

    private static List<byte[]> Writes(Random random, ChunkEncoder encoder)
    {
        var sizes = encoder.IsPacket
            ? new[] { 1, 7, 100, 1000, Math.Min(encoder.MaxPayloadPerChunk, 5000), 33 }
            : new[] { 1, 7, 100, 5000, 20_000, 0, 3 };
        return sizes.Select(size => RandomBytes(random, size)).ToList();
    }

    private static List<byte[]> DecodeAll(ChunkDecoder decoder, byte[] wire, out bool ended)
    {
        var output = new List<byte[]>();
        var destination = new byte[ChunkCodecFactory.MaxChunkSize];
        var offset = 0;
        ended = false;
        while (offset < wire.Length && !ended)
        {
            var status = decoder.Decode(wire.AsSpan(offset), destination, out var consumed, out var written, out ended, out var error);
            Assert.True(status == OperationStatus.Done, $"{status} {error} at {offset}");
            offset += consumed;
            if (written > 0) output.Add(destination[..written]);
        }
        Assert.Equal(wire.Length, offset);
        return output;
    }

    [Fact]
    public void Decode_should_deliver_good_chunks_before_a_bad_one_and_fail_on_the_next_call()
    {
        var (encoder, decoder) = Pair(new BodyFraming(SecurityType.Aes128Gcm, RequestOptions.ChunkStream | RequestOptions.ChunkMasking, RequestCommand.Tcp), response: false);
        using var encoderScope = encoder;
        using var decoderScope = decoder;
        var wire = new byte[4096];
        var first = encoder.Encode("good"u8, wire);
        var second = encoder.Encode("tampered"u8, wire.AsSpan(first));
        wire[first + second - 1] ^= 0x01; // the last tag byte of the second chunk
        var output = new byte[4096];

        var status = decoder.Decode(wire.AsSpan(0, first + second), output, out var consumed, out var written, out _, out var error);
        Assert.Equal((OperationStatus.Done, first, 4, DecodeError.None), (status, consumed, written, error));
        Assert.Equal("good"u8.ToArray(), output[..written]);

        status = decoder.Decode(wire.AsSpan(first, second), output, out consumed, out _, out _, out error);
        Assert.Equal((OperationStatus.InvalidData, 0, DecodeError.ChunkAuthFailed), (status, consumed, error));
    }
}
